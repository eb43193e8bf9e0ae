package org.sparklinear.cli;

import org.sparklinear.config.OptionCatalog;
import org.sparklinear.config.OptionSpec;

import java.util.Collection;

/** Help text, generated from the commands and the option catalog so it cannot drift from either. */
final class Help {
  private Help() {}

  static String overview(Collection<Command> commands) {
    StringBuilder sb = new StringBuilder();
    sb.append("spark-linear-classifier ").append(Main.version())
        .append(": multiclass linear image classifiers (softmax, SVM) trained with distributed SGD on Spark\n\n")
        .append("usage: <command> [--option value ...]    (submit/local.sh or submit/cluster.sh)\n\ncommands:\n");
    for (Command c : commands) {
      sb.append(String.format("  %-18s %s%n", c.name(), c.summary()));
    }
    sb.append("\n<command> --help lists a command's options and their defaults.\n");
    sb.append("Exit codes: 0 ok, 1 failure, 2 bad input or usage, 3 training diverged, 4 data fits neither in memory nor (--cache auto or disk) on disk.\n");
    return sb.toString();
  }

  static String command(Command command, OptionCatalog catalog) {
    StringBuilder sb = new StringBuilder();
    sb.append("usage: ").append(command.name()).append(" [options]\n").append(command.summary()).append("\n\n");
    for (String name : command.options()) {
      OptionSpec spec = catalog.get(name);
      String def = command.requiredOptions().contains(name) ? "required"
          : spec.defaultValue().isEmpty() ? "default: none" : "default: " + spec.defaultValue();
      // a flag alone means true; a flag that defaults to true is turned off with "--name false"
      String arg = spec.isFlag() ? (spec.defaultValue().equals("true") ? " [BOOL]" : "") : " X";
      sb.append(String.format("  --%-20s %s (%s)%n", name + arg, spec.description(), def));
    }
    sb.append(String.format("  --%-20s %s%n", Options.CONF_FILE + " FILE",
        "read option values from a properties file (keys as in conf/train.properties); flags override it"));
    return sb.toString();
  }
}
