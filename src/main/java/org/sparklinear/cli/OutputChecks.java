package org.sparklinear.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.sparklinear.io.OutputGuard;
import org.sparklinear.io.OutputKind;

/** Runs {@link OutputGuard} on a command's options before the command starts, Spark included. */
final class OutputChecks {
  /** Options that name something a command reads. */
  static final List<String> INPUT_OPTIONS = List.of("data", "holdout", "model");

  private OutputChecks() {}

  static void check(Command command, Options options) {
    List<OutputGuard.Input> inputs = new ArrayList<>();
    for (String name : INPUT_OPTIONS) {
      if (options.declares(name) && options.optional(name) != null) {
        inputs.add(new OutputGuard.Input(name, options.optional(name)));
      }
    }
    if (options.confFile() != null) {
      inputs.add(new OutputGuard.Input(Options.CONF_FILE, options.confFile()));
    }
    List<OutputGuard.Output> outputs = new ArrayList<>();
    Map<String, OutputKind> kinds = command.outputOptions();
    for (String name : command.options()) { // in help order, so messages name them the same way every run
      String value = kinds.containsKey(name) ? options.optional(name) : null;
      if (value != null) {
        outputs.add(new OutputGuard.Output(name, value, kinds.get(name)));
      }
    }
    if (outputs.isEmpty()) {
      return;
    }
    boolean overwrite = options.declares("overwrite") && options.flag("overwrite");
    OutputGuard.check(inputs, outputs, overwrite, hadoopConfiguration());
  }

  /** The Hadoop configuration Spark will use ({@code spark.hadoop.*} settings applied), without starting Spark. */
  static Configuration hadoopConfiguration() {
    Configuration conf = new Configuration();
    for (scala.Tuple2<String, String> kv : new SparkConf().getAll()) {
      if (kv._1().startsWith("spark.hadoop.")) {
        conf.set(kv._1().substring("spark.hadoop.".length()), kv._2());
      }
    }
    return conf;
  }
}
