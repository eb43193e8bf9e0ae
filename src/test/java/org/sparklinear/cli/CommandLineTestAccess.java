package org.sparklinear.cli;

/** Lets tests in other packages run the command line and check its exit code. */
public final class CommandLineTestAccess {
  private CommandLineTestAccess() {}

  public static String run(int expectedExit, String... args) {
    return CommandLineTest.run(expectedExit, args);
  }
}
