package org.sparklinear.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sparklinear.eval.ConfusionMatrix;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.report.ReportWriter;

/** A model's report from what its metadata keeps (step losses, epoch history, sweep) and a confusion matrix. */
final class Reports {
  private Reports() {}

  static void write(Path dir, LinearClassifier model, ConfusionMatrix cm, String evaluatedOn) throws IOException {
    ReportWriter.write(dir, model, numbers(model.metadata().get("stepLoss")), epochAccuracy(model), cm, evaluatedOn);
  }

  private static List<Double> numbers(Object o) {
    List<Double> out = new ArrayList<>();
    if (o instanceof List<?> list) {
      for (Object v : list) {
        out.add(v instanceof Number n ? n.doubleValue() : Double.NaN);
      }
    }
    return out;
  }

  private static List<Double> epochAccuracy(LinearClassifier model) {
    List<Double> out = new ArrayList<>();
    if (model.metadata().get("history") instanceof List<?> epochs) {
      for (Object e : epochs) {
        Object a = e instanceof Map<?, ?> m ? m.get("validationAccuracy") : null;
        out.add(a instanceof Number n ? n.doubleValue() : Double.NaN);
      }
    }
    return out;
  }
}
