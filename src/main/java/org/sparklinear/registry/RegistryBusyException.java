package org.sparklinear.registry;

/**
 * Another run holds the registry, or moved its {@code CURRENT} pointer while this run trained: this run did not
 * promote anything. The command line turns it into its own exit code, so a scheduler can retry later.
 */
public class RegistryBusyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RegistryBusyException(String message) {
    super(message);
  }
}
