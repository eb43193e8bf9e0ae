package org.sparklinear.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Starts Spark for a command: the master from spark-submit if it set one, else {@code --master}, else local[*]. */
final class SparkContexts {
  private SparkContexts() {}

  static JavaSparkContext start(String command, Options options) {
    SparkConf conf = new SparkConf().setAppName("spark-linear-classifier " + command);
    String master = options.optional("master");
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    // our own progress lines replace Spark's console progress bar, which would garble them on stderr
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    return new JavaSparkContext(conf);
  }
}
