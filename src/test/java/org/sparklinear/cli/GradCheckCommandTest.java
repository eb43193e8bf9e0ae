package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.sparklinear.TestSupport;
import org.sparklinear.loss.LossKind;

/** {@code gradcheck} as users run it: every loss on random rows, and on real preprocessed images. */
class GradCheckCommandTest {

  @Test
  void everyLossPassesOnRandomRows() {
    for (LossKind loss : LossKind.values()) {
      String out = CommandLineTest.run(0, "gradcheck", "--loss", loss.cliName(), "--reg", "0.01", "--l1", "0.001");
      assertTrue(out.contains("ok: every relative error is below 1.0E-6"), loss + ":\n" + out);
      assertTrue(out.lines().anyMatch(l -> l.startsWith("W ") && l.contains(" 200 ")), out);
      assertTrue(out.lines().anyMatch(l -> l.startsWith("b ") && l.contains(" 10 ")), out);
    }
  }

  @Test
  void realImagesArePreprocessedAndCheckedAsJson() throws Exception {
    String out = CommandLineTest.run(0, "gradcheck", "--loss", "hinge", "--data",
        TestSupport.samples().resolve("cifar").toString(), "--gradcheck-rows", "15", "--json", "--master", "local[1]");
    JsonNode json = new ObjectMapper().readTree(out);
    assertEquals(3072, json.get("features").asInt());
    assertEquals(15, json.get("rows").asInt());
    assertEquals(5, json.get("classes").asInt());
    assertEquals("ok", json.get("verdict").asText(), out);
    assertTrue(json.get("blocks").get(0).get("worstRelativeError").asDouble() < 1e-6, out);
  }

  @Test
  void featuresAreComputedAsTrainingWouldBeforeTheCheck() throws Exception {
    JsonNode json = new ObjectMapper().readTree(CommandLineTest.run(0, "gradcheck", "--loss", "am-softmax",
        "--features", "hog+color-hist", "--random-features", "50", "--data",
        TestSupport.samples().resolve("cifar").toString(), "--json", "--master", "local[1]"));
    assertEquals(50, json.get("features").asInt());
    assertEquals("ok", json.get("verdict").asText(), json.toString());
  }
}
