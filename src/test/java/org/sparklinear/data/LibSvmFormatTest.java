package org.sparklinear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparklinear.BadInputException;

/** Parsing one LibSVM line, and every way a line can be wrong, each reported with its location. */
class LibSvmFormatTest {

  @Test
  void parsesLabelsSparseFeaturesAndComments() {
    LibSvmFormat.Line line = LibSvmFormat.parse("  1.0 2:0.5  7:-3e2 # a comment", "f:1");
    assertEquals(1, line.label());
    assertArrayEquals(new int[] {2, 7}, line.indices());
    assertArrayEquals(new float[] {0f, 0.5f, 0, 0, 0, 0, -300f, 0}, line.dense(8, "f:1"));
    assertEquals(-1, LibSvmFormat.parse("-1", "f:2").label(), "no features is an all-zero example");
    assertNull(LibSvmFormat.parse("   ", "f:3"));
    assertNull(LibSvmFormat.parse("# only a comment", "f:4"));
  }

  private static String error(String text) {
    return assertThrows(BadInputException.class, () -> LibSvmFormat.parse(text, "data.libsvm:17")).getMessage();
  }

  @Test
  void nonFiniteFeaturesAreReportedWithFileLineAndFeature() {
    assertEquals("data.libsvm:17: feature 3 is NaN", error("2 1:0.5 3:NaN"));
    assertEquals("data.libsvm:17: feature 4 is Infinity (or too large for a float)", error("2 4:Infinity"));
    assertEquals("data.libsvm:17: feature 4 is -Infinity (or too large for a float)", error("2 4:-inf".replace("inf",
        "Infinity")));
    assertTrue(error("2 5:1e39").startsWith("data.libsvm:17: feature 5 is Infinity"), "overflows a float");
  }

  @Test
  void malformedLinesAreReportedWithTheirLocation() {
    assertTrue(error("cat 1:2").contains("label 'cat' is not a number"));
    assertTrue(error("1.5 1:2").contains("label '1.5' is not a class number"));
    assertTrue(error("NaN 1:2").contains("is not a class number"));
    assertTrue(error("1 0:2").contains("feature index 0 is below 1"));
    assertTrue(error("1 3:2 2:1").contains("feature index 2 follows 3"));
    assertTrue(error("1 3:2 3:1").contains("feature index 3 follows 3"));
    assertTrue(error("1 3:").contains("'3:' is not INDEX:VALUE"));
    assertTrue(error("1 a:1").contains("feature index 'a' is not an integer"));
    assertTrue(error("1 2:x").contains("value 'x' of feature 2 is not a number"));
    for (String text : new String[] {"cat 1:2", "1 0:2", "1 2:x"}) {
      assertTrue(error(text).startsWith("data.libsvm:17: "), error(text));
    }
    assertTrue(assertThrows(BadInputException.class, () -> LibSvmFormat.parse("1 9:1", "f:2").dense(8, "f:2"))
        .getMessage().contains("feature index 9 is beyond the 8 features"));
  }

  @Test
  void mutatedLinesGiveOnlyCleanErrorsOrFiniteExamples() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    String alphabet = "0123456789 :.-+eE#\tNaIfinty";
    String seed = "3 1:0.25 4:-1.5e3 17:8 # x";
    int errors = 0;
    for (int i = 0; i < 5000; i++) {
      StringBuilder sb = new StringBuilder(seed);
      for (int m = 0; m < 1 + r.nextInt(4); m++) {
        int at = r.nextInt(sb.length() + 1);
        switch (r.nextInt(3)) {
          case 0 -> sb.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
          case 1 -> sb.setLength(Math.min(sb.length(), at));
          default -> {
            if (at < sb.length()) {
              sb.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
            }
          }
        }
      }
      try {
        LibSvmFormat.Line line = LibSvmFormat.parse(sb.toString(), "fuzz:" + i);
        if (line != null) {
          for (float v : line.values()) {
            assertTrue(Float.isFinite(v), sb.toString());
          }
        }
      } catch (BadInputException e) {
        assertTrue(e.getMessage().startsWith("fuzz:" + i + ": "), e.getMessage());
        errors++;
      }
    }
    assertTrue(errors > 500 && errors < 5000, "mutations hit both outcomes: " + errors + " errors");
  }
}
