package org.sparklinear.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostModelTest {

  @Test
  void recoversTheCoefficientsOfExactPoints() {
    CostModel truth = new CostModel(12.5, 2.0e-7, 3.0e-5);
    List<CostModel.Point> points = new ArrayList<>();
    for (int[] kd : new int[][] {{10, 3072}, {100, 3072}, {1000, 3072}, {10, 20000}, {100, 20000}, {1000, 20000}}) {
      for (int batch : new int[] {256, 1024}) {
        points.add(new CostModel.Point(batch, kd[0], kd[1], truth.predictMillis(batch, kd[0], kd[1])));
      }
    }
    CostModel fit = CostModel.fit(points);
    assertEquals(truth.latencyMillis(), fit.latencyMillis(), 1e-6);
    assertEquals(truth.millisPerRowWeight(), fit.millisPerRowWeight(), 1e-13);
    assertEquals(truth.millisPerWeight(), fit.millisPerWeight(), 1e-11);
  }

  @Test
  void weighsResidualsRelativeToTheStep() {
    // the 10 ms step is 10% off the best line through the others; it moves the fit as much as a 1 s step 10% off
    List<CostModel.Point> points = List.of(new CostModel.Point(1, 1, 1000, 20), new CostModel.Point(1, 1, 2000, 30),
        new CostModel.Point(2, 1, 1000, 30), new CostModel.Point(2, 1, 2000, 50));
    CostModel fit = CostModel.fit(points);
    for (CostModel.Point p : points) {
      double ratio = p.stepMillis() / fit.predictMillis(p.batch(), p.classes(), p.features());
      assertEquals(1, ratio, 0.05, p.toString());
    }
  }

  @Test
  void refusesPointsThatDoNotSeparateTheTerms() {
    // batch fixed: batch·K·D and K·D are proportional
    List<CostModel.Point> points = List.of(new CostModel.Point(256, 10, 100, 5), new CostModel.Point(256, 10, 200, 7),
        new CostModel.Point(256, 10, 400, 11));
    assertThrows(IllegalArgumentException.class, () -> CostModel.fit(points));
  }
}
