package org.sparklinear.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.io.OutputKind;
import org.sparklinear.io.OutputGuard;
import org.sparklinear.data.LabeledImage;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.Prediction;

/**
 * {@code predict}: one line per image with its source, predicted class, scores and (softmax) probabilities,
 * written as a directory of part files that appears only when complete.
 */
final class PredictCommand implements Command {
  private static final Logger LOG = LoggerFactory.getLogger(PredictCommand.class);

  @Override
  public String name() {
    return "predict";
  }

  @Override
  public String summary() {
    return "classify images with a model and write one line per image";
  }

  @Override
  public List<String> options() {
    List<String> all = new ArrayList<>(List.of("model"));
    all.addAll(DataOptions.NAMES);
    all.addAll(List.of("unlabelled", "out", "output-format", "overwrite", "master"));
    return all;
  }

  @Override
  public Map<String, OutputKind> outputOptions() {
    return Map.of("out", OutputKind.PREDICTIONS);
  }

  @Override
  public List<String> requiredOptions() {
    return List.of("model", "data", "out");
  }

  @Override
  public int run(Options options) throws Exception {
    String out = options.required("out");
    String format = options.string("output-format");
    if (!format.equals("jsonl") && !format.equals("csv")) {
      throw new UsageException("--output-format must be jsonl or csv, got '" + format + "'");
    }
    boolean overwrite = options.flag("overwrite");
    try (JavaSparkContext sc = SparkContexts.start(name(), options)) {
      Path target = new Path(out);
      FileSystem fs = target.getFileSystem(sc.hadoopConfiguration());
      ModelInput input = ModelInput.load(sc, options, options.flag("unlabelled"));
      LinearClassifier model = input.model();
      JavaRDD<String> lines = input.dataset().images().mapPartitionsWithIndex(
          (partition, images) -> format(partition, images, model, format), true);
      sc.setJobDescription("predicting " + options.required("data"));
      OutputGuard.writeReplacing(fs, target, OutputKind.PREDICTIONS, overwrite, "--out " + out,
          staging -> lines.saveAsTextFile(staging.toString()));
      LOG.info("predictions for {} images written to {} ({})", input.dataset().records()
          - input.dataset().skippedBadImages().value(), out, format);
    }
    return ExitCode.OK;
  }

  /** The partition's output lines, produced one image at a time rather than held in memory. */
  private static Iterator<String> format(int partition, Iterator<LabeledImage> images, LinearClassifier model,
      String format) {
    ObjectMapper json = new ObjectMapper();
    boolean probabilities = model.scoreLoss().hasProbabilities();
    Iterator<String> rows = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return images.hasNext();
      }

      @Override
      public String next() {
        LabeledImage image = images.next();
        Prediction p = model.predict(image);
        String actual = image.label() >= 0 ? model.classNames().get(image.label()) : null;
        return format.equals("csv") ? csvLine(image.source(), p, actual, probabilities)
            : jsonLine(json, image.source(), p, actual, probabilities);
      }
    };
    if (!format.equals("csv") || partition != 0) {
      return rows;
    }
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(csvHeader(model, probabilities)),
        java.util.stream.StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(rows, 0), false))
        .iterator();
  }

  private static String csvLine(String source, Prediction p, String actual, boolean probabilities) {
    StringBuilder sb = new StringBuilder();
    sb.append(csv(source)).append(',').append(csv(p.className())).append(',').append(actual == null ? "" : csv(actual));
    for (double s : p.scores()) {
      sb.append(',').append(s);
    }
    if (probabilities) {
      for (double q : p.probabilities()) {
        sb.append(',').append(q);
      }
    }
    return sb.toString();
  }

  private static String jsonLine(ObjectMapper json, String source, Prediction p, String actual,
      boolean probabilities) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("source", source);
    row.put("predicted", p.className());
    row.put("actual", actual);
    row.put("scores", p.scores());
    if (probabilities) {
      row.put("probabilities", p.probabilities());
    }
    try {
      return json.writeValueAsString(row);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String csvHeader(LinearClassifier model, boolean probabilities) {
    StringBuilder sb = new StringBuilder("source,predicted,actual");
    for (String c : model.classNames()) {
      sb.append(',').append(csv("score_" + c));
    }
    if (probabilities) {
      for (String c : model.classNames()) {
        sb.append(',').append(csv("probability_" + c));
      }
    }
    return sb.toString();
  }

  /** RFC 4180 quoting, so names with commas or quotes stay one field. */
  static String csv(String field) {
    if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
      return "\"" + field.replace("\"", "\"\"") + "\"";
    }
    return field;
  }
}
