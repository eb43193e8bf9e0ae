package org.sparklinear.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class ValidationSplitTest {

  @Test
  void holdsOutTheRequestedFractionBySeed() {
    ValidationSplit split = new ValidationSplit(42, 0.02);
    int held = 0;
    int n = 50_000;
    for (int i = 0; i < n; i++) {
      if (split.isValidation("data_batch_" + (1 + i / 10000) + ".bin#" + i % 10000)) {
        held++;
      }
    }
    assertEquals(1000, held, 100);
    int other = 0;
    ValidationSplit reseeded = new ValidationSplit(43, 0.02);
    for (int i = 0; i < n; i++) {
      String s = "data_batch_" + (1 + i / 10000) + ".bin#" + i % 10000;
      if (split.isValidation(s) && reseeded.isValidation(s)) {
        other++;
      }
    }
    assertNotEquals(held, other); // a different seed picks (mostly) other records
    assertEquals(0, new ValidationSplit(42, 0).isValidation("x") ? 1 : 0);
  }
}
