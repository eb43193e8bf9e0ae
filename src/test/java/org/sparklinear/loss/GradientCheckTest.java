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

  @ParameterizedTest(name = "{0}, reg {1}, l1 {2}")
  @CsvSource({"softmax, 0, 0", "softmax, 0.1, 0", "hinge, 0, 0", "hinge, 0.1, 0", "squared-hinge, 0, 0",
      "squared-hinge, 0.1, 0", "crammer-singer, 0, 0", "crammer-singer, 0.1, 0.05", "one-vs-all, 0, 0",
      "one-vs-all, 0.1, 0.05", "softmax, 0, 0.05", "am-softmax, 0, 0", "am-softmax, 0.1, 0.05",
      "mse, 0, 0", "mse, 0.1, 0.05"})
  void analyticGradientMatchesCentredDifferences(String lossName, double lambda, double l1) {
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
    Regularization reg = Regularization.of(lambda, l1);

    GradientCheck.Result result = GradientCheck.check(objective, reg, w, block, Integer.MAX_VALUE, STEP, 1);
    assertEquals(classes * features, result.weights().checked(), "every weight is checked");
    assertEquals(classes, result.biases().checked(), "every bias is checked");
    assertTrue(result.worst() < 1e-6, lossName + " reg " + lambda + " l1 " + l1 + ": " + result);
  }

  @org.junit.jupiter.api.Test
  void aWrongGradientIsCaught() {
    SplittableRandom random = new SplittableRandom(5);
    FeatureBlock block = TestSupport.randomBlock(0, 50, 6, 3, random);
    LinearWeights w = LinearWeights.zeros(3, 6);
    for (int i = 0; i < w.parameters().length; i++) {
      w.parameters()[i] = random.nextDouble() - 0.5;
    }
    // a penalty that claims a gradient of 2x but is x^2 / 2: a factor of 2 off
    Regularization wrong = (weights, gradient) -> {
      double sum = 0;
      for (int i = 0; i < weights.biasOffset(); i++) {
        sum += weights.parameters()[i] * weights.parameters()[i] / 2;
        gradient[i] += 2 * weights.parameters()[i];
      }
      return sum;
    };
    GradientCheck.Result result = GradientCheck.check(new BlockObjective(new SoftmaxLoss()), wrong, w, block, 100,
        STEP, 1);
    assertTrue(result.weights().worstRelativeError() > 0.1, result.toString());
    assertTrue(result.biases().worstRelativeError() < 1e-6, "biases are not penalised: " + result);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"softmax", "hinge", "squared-hinge", "crammer-singer", "one-vs-all", "am-softmax", "mse"})
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
