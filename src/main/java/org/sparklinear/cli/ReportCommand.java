package org.sparklinear.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.BadInputException;
import org.sparklinear.eval.ConfusionMatrix;
import org.sparklinear.io.OutputKind;

/** {@code report}: the HTML report of an existing model, with its confusion matrix on the given labelled images. */
final class ReportCommand implements Command {
  private static final Logger LOG = LoggerFactory.getLogger(ReportCommand.class);

  @Override
  public String name() {
    return "report";
  }

  @Override
  public String summary() {
    return "write an HTML report (loss, accuracy, class templates, confusion matrix) of a model on labelled images";
  }

  @Override
  public List<String> options() {
    List<String> all = new ArrayList<>(List.of("model"));
    all.addAll(DataOptions.NAMES);
    all.addAll(List.of("split", "out", "overwrite", "master"));
    return all;
  }

  @Override
  public Map<String, OutputKind> outputOptions() {
    return Map.of("out", OutputKind.REPORT);
  }

  @Override
  public List<String> requiredOptions() {
    return List.of("model", "data", "out");
  }

  @Override
  public int run(Options options) throws Exception {
    String split = options.string("split");
    try (JavaSparkContext sc = SparkContexts.start(name(), options)) {
      ModelInput input = ModelInput.load(sc, options);
      sc.setJobDescription("report: confusion matrix");
      ConfusionMatrix cm = ModelInput.score(sc, input.model(), input.images(split));
      if (cm.total() == 0) {
        throw new BadInputException(options.required("data") + ": no images to evaluate");
      }
      Path out = Path.of(options.required("out"));
      Reports.write(out, options.flag("overwrite"), input.model(), cm, options.required("data") + (split.equals("all") ? "" : " (" + split
          + " split)") + ", " + cm.total() + " images");
      LOG.info("report written to {}", out.resolve("index.html"));
    }
    return ExitCode.OK;
  }
}
