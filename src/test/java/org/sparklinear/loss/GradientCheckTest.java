package org.sparklinear.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparklinear.TestSupport;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;

/**
 * The analytic gradient of the whole objective (block kernel + loss + L2) against centred finite differences,
 * for every loss, in double precision, on every parameter of a small random problem.
 */
class GradientCheckTest {
  private static final double STEP = 1e-5;

  @ParameterizedTest(name = "{0}, reg {1}")
  @CsvSource({"softmax, 0", "softmax, 0.1", "hinge, 0", "hinge, 0.1", "squared-hinge, 0", "squared-hinge, 0.1"})
  void analyticGradientMatchesCentredDifferences(String lossName, double lambda) {
    SplittableRandom random = new SplittableRandom(7);
    int classes = 4;
    int features = 13;
    int rows = 300; // more than one kernel chunk, so chunked accumulation is checked too
    FeatureBlock block = TestSupport.randomBlock(0, rows, features, classes, random);
    LinearWeights w = LinearWeights.zeros(classes, features);
    for (int i = 0; i < w.parameters().length; i++) {
      w.parameters()[i] = random.nextDouble() - 0.5;
    }
    BlockObjective objective = new BlockObjective(LossKind.fromName(lossName).create(1.0));
    L2Regularization reg = new L2Regularization(lambda);

    double[] analytic = new double[w.parameters().length];
    objective.accumulateAll(w, block, analytic);
    for (int i = 0; i < analytic.length; i++) {
      analytic[i] /= rows;
    }
    reg.addTo(w, analytic);

    double worst = 0;
    for (int i = 0; i < analytic.length; i++) {
      double saved = w.parameters()[i];
      w.parameters()[i] = saved + STEP;
      double plus = objectiveValue(objective, reg, w, block);
      w.parameters()[i] = saved - STEP;
      double minus = objectiveValue(objective, reg, w, block);
      w.parameters()[i] = saved;
      double numeric = (plus - minus) / (2 * STEP);
      double relative = Math.abs(numeric - analytic[i]) / Math.max(1e-8, Math.max(Math.abs(numeric),
          Math.abs(analytic[i])));
      worst = Math.max(worst, relative);
    }
    assertTrue(worst < 1e-6, lossName + " reg " + lambda + ": worst relative error " + worst);
  }

  private static double objectiveValue(BlockObjective objective, L2Regularization reg, LinearWeights w,
      FeatureBlock block) {
    double[] scratch = new double[w.parameters().length];
    double data = objective.accumulateAll(w, block, scratch) / block.rows();
    return data + reg.addTo(w, scratch);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"softmax", "hinge", "squared-hinge"})
  void gatheredRowsGiveTheSameSumsAsTheWholeBlock(String lossName) {
    SplittableRandom random = new SplittableRandom(3);
    FeatureBlock block = TestSupport.randomBlock(0, 70, 9, 3, random);
    LinearWeights w = LinearWeights.zeros(3, 9);
    for (int i = 0; i < w.parameters().length; i++) {
      w.parameters()[i] = random.nextDouble() - 0.5;
    }
    BlockObjective objective = new BlockObjective(LossKind.fromName(lossName).create(1.0));
    int[] reversed = new int[70];
    for (int i = 0; i < 70; i++) {
      reversed[i] = 69 - i;
    }
    double[] a = new double[w.parameters().length];
    double[] b = new double[w.parameters().length];
    double la = objective.accumulateAll(w, block, a);
    double lb = objective.accumulate(w, block, reversed, 0, 70, b);
    assertEquals(la, lb, 1e-9);
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], 1e-9);
    }
  }
}
