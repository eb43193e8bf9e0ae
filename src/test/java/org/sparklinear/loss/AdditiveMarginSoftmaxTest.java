package org.sparklinear.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;

/** AM-softmax against its closed form, on cosines and through the normalisation of rows and templates. */
class AdditiveMarginSoftmaxTest {
  private final AdditiveMarginSoftmaxLoss am = new AdditiveMarginSoftmaxLoss(30, 0.35);

  @Test
  void lossAndGradientOnCosinesMatchTheClosedForm() {
    double[] cos = {0.5, 0.2, -0.1};
    double loss = am.lossAndScoreGradient(cos, new int[] {0}, 1, 3);
    // logits s (cos - m [j = y]) = 4.5, 6, -3: loss = log(1 + e^(6 - 4.5) + e^(-3 - 4.5))
    assertEquals(Math.log(1 + Math.exp(1.5) + Math.exp(-7.5)), loss, 1e-12);
    double z = Math.exp(4.5) + Math.exp(6) + Math.exp(-3);
    assertArrayEquals(new double[] {30 * (Math.exp(4.5) / z - 1), 30 * Math.exp(6) / z, 30 * Math.exp(-3) / z}, cos,
        1e-12);
    assertEquals(Math.log1p(9 * Math.exp(10.5)), am.expectedInitialLoss(10), 1e-12);
  }

  @Test
  void theObjectiveScoresCosinesSoScalingRowsOrTemplatesChangesNothing() {
    // two rows and two classes in 2-D; class 0 points along x, class 1 along y
    FeatureBlock block = new FeatureBlock(0, 2, 2, new float[] {3, 0, 1, 1}, new int[] {0, 1});
    LinearWeights w = new LinearWeights(2, 2, new double[] {2, 0, 0, 0.5, 7, -7});
    LinearWeights scaled = new LinearWeights(2, 2, new double[] {20, 0, 0, 5, 0, 0});
    BlockObjective objective = new BlockObjective(am);
    double a = objective.accumulateAll(w, block, new double[6]);
    double b = objective.accumulateAll(scaled, block, new double[6]);
    // row 0: cos = (1, 0), y = 0; row 1: cos = (1/sqrt2, 1/sqrt2), y = 1
    double row0 = Math.log(1 + Math.exp(30 * (0 - 0.65)));
    double c = 1 / Math.sqrt(2);
    double row1 = Math.log(1 + Math.exp(30 * (c - (c - 0.35))));
    assertEquals(row0 + row1, a, 1e-9);
    assertEquals(a, b, 1e-9);
    double[] gradient = new double[6];
    objective.accumulateAll(w, block, gradient);
    assertEquals(0, gradient[4], 0);
    assertEquals(0, gradient[5], 0);
  }
}
