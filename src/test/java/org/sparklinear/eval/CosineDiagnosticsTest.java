package org.sparklinear.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;

/** The AM-softmax diagnostics on hand-built rows: the mean target cosine and the mean gap to the best wrong class. */
class CosineDiagnosticsTest {

  @Test
  void targetCosineAndGapOfTwoRows() {
    // templates along x (class 0), y (class 1) and -x (class 2), of different lengths and with biases that must not count
    LinearWeights w = new LinearWeights(3, 2, new double[] {2, 0, 0, 5, -1, 0, 9, 9, 9});
    // row 0 along x, label 0: target cos 1, best wrong cos 0 (class 1) -> gap 1
    // row 1 along (1, 1), label 1: target cos 1/sqrt2, best wrong 1/sqrt2 (class 0) -> gap 0
    FeatureBlock block = new FeatureBlock(0, 2, 2, new float[] {4, 0, 1, 1}, new int[] {0, 1});
    double c = 1 / Math.sqrt(2);
    assertArrayEquals(new double[] {1 + c, 1, 2}, BlockEvaluator.cosineSums(w, block), 1e-12);
  }
}
