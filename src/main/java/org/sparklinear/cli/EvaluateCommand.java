package org.sparklinear.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.BadInputException;
import org.sparklinear.eval.ConfusionMatrix;

/** {@code evaluate}: accuracy, per-class accuracy and confusion matrix of a saved model on labelled images. */
final class EvaluateCommand implements Command {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluateCommand.class);
  private final PrintStream stdout;

  EvaluateCommand(PrintStream stdout) {
    this.stdout = stdout;
  }

  @Override
  public String name() {
    return "evaluate";
  }

  @Override
  public String summary() {
    return "measure a model's accuracy on labelled images";
  }

  @Override
  public List<String> options() {
    List<String> all = new ArrayList<>(List.of("model"));
    all.addAll(DataOptions.NAMES);
    all.addAll(List.of("split", "json", "master"));
    return all;
  }

  @Override
  public List<String> requiredOptions() {
    return List.of("model", "data");
  }

  @Override
  public int run(Options options) throws Exception {
    boolean json = options.flag("json");
    String split = options.string("split");
    try (JavaSparkContext sc = SparkContexts.start(name(), options)) {
      ModelInput input = ModelInput.load(sc, options);
      sc.setJobDescription("evaluating " + options.required("model"));
      ConfusionMatrix cm = ModelInput.score(sc, input.model(), input.images(split));
      if (cm.total() == 0) {
        throw new BadInputException(options.required("data") + ": no images to evaluate"
            + (split.equals("all") ? "" : " in the " + split + " split"));
      }
      List<String> classes = input.model().classNames();
      LOG.info(String.format("accuracy %.4f on %d images (%s split)", cm.accuracy(), cm.total(), split));
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("accuracy", cm.accuracy());
      result.put("examples", cm.total());
      result.put("correct", cm.correct());
      result.put("split", split);
      result.put("classNames", classes);
      result.put("perClassAccuracy", cm.perClassAccuracy(classes));
      result.put("confusionMatrix", cm.toArray());
      result.put("model", options.required("model"));
      result.put("data", options.required("data"));
      result.put("skippedBadImages", input.dataset().skippedBadImages().value());
      if (json) {
        stdout.println(new ObjectMapper().writeValueAsString(result));
      } else {
        stdout.print(humanReport(cm, classes));
      }
      stdout.flush();
    }
    return ExitCode.OK;
  }

  static String humanReport(ConfusionMatrix cm, List<String> classes) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("accuracy %.4f (%d of %d)%n", cm.accuracy(), cm.correct(), cm.total()));
    double[] perClass = cm.perClassAccuracy();
    int width = Math.max(5, classes.stream().mapToInt(String::length).max().orElse(5));
    for (int i = 0; i < classes.size(); i++) {
      sb.append(String.format("  %-" + width + "s  %s%n", classes.get(i),
          Double.isNaN(perClass[i]) ? "no examples" : String.format("%.4f", perClass[i])));
    }
    return sb.toString();
  }
}
