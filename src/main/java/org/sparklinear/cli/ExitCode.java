package org.sparklinear.cli;

/** Process exit codes, documented in the README for schedulers and scripts. */
public final class ExitCode {
  public static final int OK = 0;
  /** An unexpected failure (a bug, a lost cluster, a full disk): the message and stack trace are logged. */
  public static final int FAILURE = 1;
  /** Bad input or usage: the message names the file, record or option. Nothing was written. */
  public static final int BAD_INPUT = 2;
  /** Training diverged (NaN or infinite loss). Nothing was written. */
  public static final int DIVERGED = 3;
  /** The training data does not fit in the memory given to Spark; the message says which setting to raise. */
  public static final int INSUFFICIENT_MEMORY = 4;

  /** retrain: the new model was not better enough, or not comparable; CURRENT still names the previous version. */
  public static final int KEPT_CURRENT = 5;
  /** retrain: another run holds the registry (or moved CURRENT meanwhile); nothing was promoted. Retry later. */
  public static final int REGISTRY_BUSY = 6;

  private ExitCode() {}
}
