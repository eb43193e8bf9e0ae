package org.sparklinear.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tail averaging: which steps it averages, their mean in closed form, its state, and the option's values. */
class IterateAverageTest {

  @Test
  void theMeanOfALinearRunIsItsMiddleIterate() {
    // the iterate after step k is (k, -2k, 0.1k): the mean of steps 7..10 is 8.5 times (1, -2, 0.1)
    IterateAverage average = new IterateAverage(new IterateAveraging(0.4).startAfter(10));
    for (long k = 1; k <= 10; k++) {
      average.add(new double[] {k, -2.0 * k, 0.1 * k}, k, 1);
      assertEquals(k > 6, average.started(), "step " + k);
    }
    assertEquals(4, average.count());
    assertArrayEquals(new double[] {8.5, -17, 0.85}, average.mean(), 1e-15);
  }

  @Test
  void aRoundOfLocalStepsCountsOnlyItsStepsInTheTail() {
    IterateAverage average = new IterateAverage(6);
    average.add(new double[] {1}, 4, 4); // steps 1-4: before the tail
    average.add(new double[] {2}, 8, 4); // steps 5-8: 7 and 8 averaged
    average.add(new double[] {5}, 12, 4);
    assertEquals(6, average.count());
    assertEquals((2 * 2 + 4 * 5) / 6.0, average.mean()[0], 0.0);
  }

  @Test
  void theStateRestoresTheSameBits() {
    IterateAverage average = new IterateAverage(1);
    for (int k = 1; k <= 5; k++) {
      average.add(new double[] {Math.sqrt(k), 1.0 / k}, k, 1);
    }
    IterateAverage restored = IterateAverage.restore(average.state());
    average.add(new double[] {Math.PI, Math.E}, 6, 1);
    restored.add(new double[] {Math.PI, Math.E}, 6, 1);
    assertArrayEquals(average.mean(), restored.mean(), 0.0);
    assertEquals(average.count(), restored.count());
    assertEquals(1, restored.startAfter());
    assertFalse(IterateAverage.restore(new IterateAverage(3).state()).started());
    assertThrows(IllegalArgumentException.class, () -> IterateAverage.restore(new double[] {0, 2}));
  }

  @Test
  void theTailIsAShareOfTheRunsSteps() {
    assertEquals(215, new IterateAveraging(0.5).startAfter(430));
    assertEquals(6, new IterateAveraging(0.5).startAfter(13)); // the larger half: 7 steps of 13
    assertEquals(0, new IterateAveraging(1).startAfter(13));
    assertEquals(13, IterateAveraging.NONE.startAfter(13));
  }

  @Test
  void theOptionTakesNoneTailOrAShareAndRejectsAnythingElse() {
    assertEquals(IterateAveraging.NONE, IterateAveraging.parse("none"));
    assertEquals(new IterateAveraging(0.5), IterateAveraging.parse("tail"));
    assertEquals(new IterateAveraging(0.25), IterateAveraging.parse(" TAIL:0.25"));
    assertEquals(new IterateAveraging(1), IterateAveraging.parse("tail:1"));
    for (IterateAveraging a : new IterateAveraging[] {IterateAveraging.NONE, new IterateAveraging(0.3)}) {
      assertEquals(a, IterateAveraging.parse(a.cliName()));
    }
    for (String bad : new String[] {"mean", "", "tail:0", "tail:1.5", "tail:-0.5", "tail:half", "tail:0.5:1",
        "none:0.5", "auto"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IterateAveraging.parse(bad));
      assertTrue(e.getMessage().contains("--average: '" + bad + "'") && e.getMessage().contains("tail:SHARE"),
          e.getMessage());
    }
  }
}
