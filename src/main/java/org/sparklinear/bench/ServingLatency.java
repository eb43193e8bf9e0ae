package org.sparklinear.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparklinear.data.LabeledImage;
import org.sparklinear.model.LinearClassifier;

/**
 * Single-image prediction latency in process, as a server calling the Spark-free scorer sees it: one
 * {@link LinearClassifier#predict} per image (features, preprocessing, scores, probabilities), timed one by one after
 * a warm-up, cycling over real images.
 */
final class ServingLatency {
  private ServingLatency() {}

  static Map<String, Object> measure(LinearClassifier model, List<LabeledImage> images, int warmUp, int timed) {
    long checksum = 0;
    for (int i = 0; i < warmUp; i++) {
      checksum += model.predict(images.get(i % images.size())).classIndex();
    }
    long[] nanos = new long[timed];
    for (int i = 0; i < timed; i++) {
      LabeledImage image = images.get(i % images.size());
      long t0 = System.nanoTime();
      checksum += model.predict(image).classIndex();
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model.loss().cliName() + " on " + model.features() + " of " + model.shape() + " images, "
        + model.classNames().size() + " classes");
    m.put("images", images.size());
    m.put("warmUpPredictions", warmUp);
    m.put("timedPredictions", timed);
    m.put("singleImageP50Micros", Stats.round(percentile(nanos, 0.50) / 1e3, 2));
    m.put("singleImageP99Micros", Stats.round(percentile(nanos, 0.99) / 1e3, 2));
    m.put("singleImageMaxMicros", Stats.round(nanos[nanos.length - 1] / 1e3, 2));
    m.put("predictedClassSum", checksum); // keeps the JIT from dropping the work
    return m;
  }

  /** Nearest-rank percentile of sorted values. */
  private static double percentile(long[] sorted, double q) {
    return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
  }
}
