package org.sparklinear.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Squared error on one-hot targets against closed forms on the lecture notes' three images (cat, car, frog). */
class SquaredErrorLossTest {

  @Test
  void halfTheSquaredDistanceToTheOneHotTargetSummedOverClasses() {
    double[] s = MarginLossesTest.NOTES_SCORES.clone();
    double total = new SquaredErrorLoss().lossAndScoreGradient(s, MarginLossesTest.NOTES_LABELS, 3, 3);
    // cat: (2.2, 5.1, -1.7) -> 16.87; car: (1.3, 3.9, 2.0) -> 10.45; frog: (2.2, 2.5, -4.1) -> 13.95
    assertEquals(16.87 + 10.45 + 13.95, total, 1e-12);
    assertArrayEquals(new double[] {2.2, 5.1, -1.7, 1.3, 3.9, 2.0, 2.2, 2.5, -4.1}, s, 1e-12);
    assertEquals(0.5, new SquaredErrorLoss().lossAndScoreGradient(new double[4], new int[] {3}, 1, 4), 0);
    assertEquals(0.5, new SquaredErrorLoss().expectedInitialLoss(10), 0);
  }

  @Test
  void aConfidentlyCorrectRowIsPunishedWhereTheClassificationLossesAreContent() {
    double[] confident = {5, 0, 0};
    int[] label = {0};
    assertEquals(8.0, new SquaredErrorLoss().lossAndScoreGradient(confident.clone(), label, 1, 3), 0);
    assertEquals(0.0, new MulticlassHingeLoss(1, MulticlassHingeLoss.Penalty.LINEAR)
        .lossAndScoreGradient(confident.clone(), label, 1, 3), 0);
    double softmax = new SoftmaxLoss().lossAndScoreGradient(confident.clone(), label, 1, 3);
    assertTrue(softmax < 0.014, "softmax: " + softmax);
    double[] gradient = confident.clone();
    new SquaredErrorLoss().lossAndScoreGradient(gradient, label, 1, 3);
    assertEquals(4.0, gradient[0], 0, "mse pushes the right class's score down, towards 1");
  }
}
