package org.sparklinear.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PreprocessorTest {

  private static FeatureStatistics stats() {
    FeatureStatistics a = new FeatureStatistics(2).add(new byte[] {0, 10}).add(new byte[] {(byte) 200, 10});
    FeatureStatistics b = new FeatureStatistics(2).add(new byte[] {(byte) 100, 10});
    return a.merge(b);
  }

  @Test
  void meanImageThenDivideBy255() {
    Preprocessor p = Preprocessor.fit(stats(), Scaling.UNIT);
    assertArrayEquals(new float[] {100, 10}, p.mean(), 0f);
    assertArrayEquals(new double[] {(200 - 100) / 255.0, 0}, p.apply(new byte[] {(byte) 200, 10}), 1e-6);
  }

  @Test
  void standardizeDividesByEachFeaturesDeviationAndNeverByZero() {
    Preprocessor p = Preprocessor.fit(stats(), Scaling.STANDARDIZE);
    double sd = Math.sqrt((100.0 * 100 + 0 + 100 * 100) / 3);
    assertEquals(sd, p.scale()[0], 1e-3);
    assertEquals(1e-3, p.scale()[1], 1e-9); // constant feature
    assertArrayEquals(new double[] {100 / sd, 0}, p.apply(new byte[] {(byte) 200, 10}), 1e-5);
  }
}
