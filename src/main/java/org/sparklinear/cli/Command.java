package org.sparklinear.cli;

import java.util.List;
import java.util.Map;
import org.sparklinear.io.OutputKind;

/** A subcommand of the command line. */
interface Command {
  String name();

  /** One line for the command list. */
  String summary();

  /** Options this command accepts, by catalog name, in help order. */
  List<String> options();

  /** Options that must be given. */
  default List<String> requiredOptions() {
    return List.of();
  }

  /**
   * The options that name something this command writes, by catalog name, with what it writes there. They are
   * checked against its inputs and against what is already there before {@link #run} starts.
   */
  default Map<String, OutputKind> outputOptions() {
    return Map.of();
  }

  /** Runs the command; returns the process exit code. */
  int run(Options options) throws Exception;
}
