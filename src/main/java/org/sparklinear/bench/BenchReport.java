package org.sparklinear.bench;

import java.util.List;
import java.util.Map;

/** The Markdown summary of bench.json. */
final class BenchReport {
  private BenchReport() {}

  static String markdown(Map<String, Object> r) {
    StringBuilder sb = new StringBuilder("# spark-linear-classifier benchmark\n\n");
    if (r.get("environment") instanceof Map<?, ?> env) {
      sb.append("| environment | |\n| --- | --- |\n");
      env.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
      sb.append('\n');
    }
    // a run of the sizing section alone has none of the comparison's figures: no tables of nulls then
    if (r.containsKey("timeToTarget") || r.containsKey("stepTime")) {
      sb.append("| figure | ours | Spark MLlib | ratio |\n| --- | --- | --- | --- |\n");
      row(sb, r, "time to target validation accuracy (s), softmax vs LogisticRegression", "timeToTarget.ours",
          "timeToTarget.mllibLogisticRegression", "timeToTarget.speedup");
      row(sb, r, "time per SGD step (ms) vs runMiniBatchSGD", "stepTime.ours", "stepTime.mllibMiniBatchSGD",
          "stepTime.speedup");
      row(sb, r, "validation accuracy after the same number of steps as runMiniBatchSGD",
          "mllibMiniBatchSGD.oursAccuracyAfterSameSteps", "mllibMiniBatchSGD.validationAccuracy", null);
      row(sb, r, "validation accuracy: ours after the default budget, LogisticRegression best seen",
          "ours.softmax.accuracyAfterBudget", "mllibLogisticRegression.bestAccuracy", null);
      sb.append('\n');
    }
    StringBuilder figures = new StringBuilder();
    for (String path : List.of("mllibMiniBatchSGD.steps", "mllibLogisticRegression.maxIterToTarget",
        "ours.softmax.stepsToTarget", "ours.softmax.secondsToTarget", "ours.softmax.accuracyAfterBudget",
        "ours.softmax.budgetSeconds", "ours.hinge.secondsToTarget", "ours.hinge.accuracyAfterBudget",
        "ours.hinge.budgetSeconds", "stepMode.driver.secondsToTarget", "stepMode.jobs.secondsToTarget",
        "stepMode.jobs.stepMillis", "localSteps.H4.secondsToTarget", "localSteps.H4.accuracyAfterBudget",
        "localSteps.H4.roundMillis", "localSteps.H8.secondsToTarget", "localSteps.H8.accuracyAfterBudget",
        "localSteps.H8.roundMillis", "localSteps.H16.secondsToTarget", "localSteps.H16.accuracyAfterBudget",
        "localSteps.H16.roundMillis", "floor.emptyJobMillis", "floor.broadcastCollectMillis",
        "stepBreakdown.overheadMillis", "floor.overheadBeyondFloorMillis", "noSpark.secondsToTarget", "noSpark.ratio",
        "stepBreakdown.stepMillis",
        "stepBreakdown.broadcastMillis", "stepBreakdown.schedulingMillis", "stepBreakdown.computeMillis",
        "stepBreakdown.aggregationMillis", "stepBreakdown.driverUpdateMillis", "stepBreakdown.driverHeapMB",
        "stepBreakdown.driverHeapGrowthMBPer1000Steps", "fullPass.seconds", "fullPass.gflops", "fullPass.gemmGflops",
        "fullPass.gemmFraction", "gemmOneThread.gflops", "gemm.speedupOverOneThread", "cache.bytes",
        "cache.bytesPerFloat", "javaBlas.ours.softmax.secondsToTarget",
        "javaBlas.fullPass.gflops", "javaBlas.fullPass.gemmFraction", "serving.singleImageP50Micros",
        "serving.singleImageP99Micros")) {
      Object v = get(r, path);
      if (v != null) {
        figures.append("| ").append(path).append(" | ").append(v).append(" |\n");
      }
    }
    if (!figures.isEmpty()) {
      sb.append("| figure | value |\n| --- | --- |\n").append(figures);
    }
    if (get(r, "scaling.epochs") instanceof List<?> rows) {
      sb.append("\n| images | partitions | epoch (s) | compute (s) |\n| --- | --- | --- | --- |\n");
      for (Object o : rows) {
        if (o instanceof Map<?, ?> m) {
          sb.append("| ").append(m.get("images")).append(" | ").append(m.get("partitions")).append(" | ")
              .append(m.get("epochSeconds")).append(" | ").append(m.get("computeSeconds")).append(" |\n");
        }
      }
    }
    sizing(sb, r);
    return sb.toString();
  }

  /** The sizing section's table: one line per K x D and batch size, then the fitted model. */
  private static void sizing(StringBuilder sb, Map<String, Object> r) {
    if (!(get(r, "sizing.table") instanceof List<?> rows)) {
      return;
    }
    List<String> columns = List.of("classes", "features", "batch", "weightsMB", "steps", "stepMillis",
        "computeMillis", "broadcastMillis", "schedulingMillis", "aggregationMillis", "resultsMillis", "resultMBPerStep",
        "driverUpdateMillis", "predictedMillis", "measuredOverPredicted", "measuredOverPredictedHeldOut", "heapAfterGcMB", "failed");
    sb.append("\n## Sizing (").append(get(r, "sizing.master")).append(", ").append(get(r, "sizing.stepMode"))
        .append(" steps; peak used heap ").append(get(r, "sizing.peakUsedHeapMB")).append(" MB of ")
        .append(get(r, "sizing.maxHeapMB")).append(" MB)\n\n| ").append(String.join(" | ", columns))
        .append(" |\n|").append(" --- |".repeat(columns.size())).append('\n');
    for (Object o : rows) {
      if (o instanceof Map<?, ?> m) {
        sb.append('|');
        for (String c : columns) {
          sb.append(' ').append(m.containsKey(c) ? m.get(c) : "").append(" |");
        }
        sb.append('\n');
      }
    }
    if (get(r, "sizing.model") instanceof Map<?, ?> model) {
      sb.append("\nstep (ms) = ").append(model.get("latencyMillis")).append(" + ")
          .append(model.get("nanosPerRowWeight")).append(" ns x batch x K x D + ").append(model.get("nanosPerWeight"))
          .append(" ns x K x D\n");
    }
  }

  private static void row(StringBuilder sb, Map<String, Object> r, String label, String ours, String theirs,
      String ratio) {
    sb.append("| ").append(label).append(" | ").append(get(r, ours)).append(" | ").append(get(r, theirs))
        .append(" | ").append(ratio == null ? "" : get(r, ratio)).append(" |\n");
  }

  static Object get(Map<String, Object> r, String path) {
    Object node = r;
    for (String part : path.split("\\.")) {
      if (!(node instanceof Map<?, ?> m)) {
        return null;
      }
      node = m.get(part);
    }
    return node;
  }
}
