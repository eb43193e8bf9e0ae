package org.sparklinear.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Crammer–Singer and one-vs-all against closed forms on the lecture notes' three images (cat, car, frog). */
class MarginLossesTest {
  // rows: the cat, car and frog images' scores for the classes cat, car, frog
  static final double[] NOTES_SCORES = {3.2, 5.1, -1.7, 1.3, 4.9, 2.0, 2.2, 2.5, -3.1};
  static final int[] NOTES_LABELS = {0, 1, 2};

  @Test
  void crammerSingerCountsOnlyTheBestWrongClass() {
    double[] s = NOTES_SCORES.clone();
    double total = new CrammerSingerLoss(1).lossAndScoreGradient(s, NOTES_LABELS, 3, 3);
    // cat: max(0, 5.1 - 3.2 + 1) = 2.9; car: max(0, 2.0 - 4.9 + 1) = 0; frog: max(0, 2.5 + 3.1 + 1) = 6.6
    assertEquals(2.9 + 0 + 6.6, total, 1e-12);
    assertArrayEquals(new double[] {-1, 1, 0, 0, 0, 0, 0, 1, -1}, s, 0);
  }

  @Test
  void crammerSingerIsDeltaAtInitialisationAndBreaksTiesToTheFirstClass() {
    double[] s = new double[4];
    assertEquals(1.0, new CrammerSingerLoss(1).lossAndScoreGradient(s, new int[] {2}, 1, 4), 0);
    assertArrayEquals(new double[] {1, 0, -1, 0}, s, 0);
    assertEquals(1.0, new CrammerSingerLoss(1).expectedInitialLoss(10), 0);
  }

  @Test
  void oneVsAllIsABinaryHingePerClass() {
    double[] s = NOTES_SCORES.clone();
    double total = new OneVsAllHingeLoss(1).lossAndScoreGradient(s, NOTES_LABELS, 3, 3);
    // cat image: cat 1-3.2<0, car 1+5.1=6.1, frog 1-1.7<0 -> 6.1
    // car image: cat 1+1.3=2.3, car 1-4.9<0, frog 1+2.0=3.0 -> 5.3
    // frog image: cat 1+2.2=3.2, car 1+2.5=3.5, frog 1+3.1=4.1 -> 10.8
    assertEquals(6.1 + 5.3 + 10.8, total, 1e-12);
    assertArrayEquals(new double[] {0, 1, 0, 1, 0, 1, 1, 1, -1}, s, 0);
    assertEquals(10.0, new OneVsAllHingeLoss(1).expectedInitialLoss(10), 0);
  }
}
