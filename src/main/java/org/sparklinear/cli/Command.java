package org.sparklinear.cli;

import java.util.List;

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

  /** Runs the command; returns the process exit code. */
  int run(Options options) throws Exception;
}
