package org.sparklinear.cli;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparklinear.data.DataFormat;
import org.sparklinear.data.ReadOptions;

/** The input options shared by every command that reads images. */
final class DataOptions {
  static final List<String> NAMES = List.of("data", "format", "partitions", "image-size", "channels",
      "skip-bad-images", "max-image-pixels");

  private DataOptions() {}

  static ReadOptions from(Options options, JavaSparkContext sc, List<String> classNames) {
    int partitions = options.integer("partitions");
    if (partitions < 0) {
      throw new UsageException("--partitions must be >= 0, got " + partitions);
    }
    try {
      return new ReadOptions(DataFormat.fromName(options.string("format")),
          partitions == 0 ? sc.defaultParallelism() : partitions, options.optional("image-size"),
          options.integer("channels"), options.flag("skip-bad-images"), options.longValue("max-image-pixels"),
          classNames);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
