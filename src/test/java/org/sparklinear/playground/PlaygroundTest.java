package org.sparklinear.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;
import org.sparklinear.cli.Main;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.loss.L2Regularization;
import org.sparklinear.loss.LossKind;

/**
 * The playground page in a real headless Chromium (one browser for both tests): its losses and gradients agree with
 * the trainer's Java losses, and a user's clicks do what the page promises.
 */
class PlaygroundTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The page's losses, by the trainer's names: every one the page offers. */
  private static final List<String> PAGE_LOSSES = List.of("hinge", "squared-hinge", "crammer-singer", "one-vs-all",
      "softmax", "mse");

  @TempDir static Path tmp;
  private static HeadlessChromium chromium;
  private static String pageUrl;

  @BeforeAll
  static void writeThePageAndStartChromium() throws Exception {
    Path out = tmp.resolve("page");
    assertEquals(0, Main.run(new String[] {"playground", "--out", out.toString()}, System.out));
    pageUrl = out.resolve(PlaygroundPage.FILE_NAME).toUri().toString();
    chromium = HeadlessChromium.startOrSkip(tmp.resolve("chromium-profile"), "the playground's browser tests");
  }

  @AfterAll
  static void stopChromium() {
    if (chromium != null) {
      chromium.close();
    }
  }

  /**
   * Twelve points of three classes (coordinates exact in float, as the trainer's blocks hold them), weights with
   * some margins violated and some not, and once with two classes tied on every point; the page's loss, gradient of
   * W and of b must equal the trainer's (BlockObjective on a FeatureBlock, then the mean and the L2 penalty) within
   * 1e-9 for every loss.
   */
  @Test
  void thePageComputesTheTrainersLossesAndGradients() throws Exception {
    chromium.open(pageUrl, 1000, 800);
    float[] xy = {0.5f, 1.25f, -1.5f, 0.75f, 2.125f, -0.375f, -0.25f, -2f, 1f, 1f, -1.75f, -1.25f, 0.125f, 0.625f,
        1.5f, -1.5f, -0.875f, 2.25f, 0f, 0f, 2.5f, 1.75f, -2.5f, 0.25f};
    int[] labels = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2};
    double[] spread = {0.8, -0.4, -0.3, 0.9, -0.6, -0.7, 0.15, -0.2, 0.05};
    double[] tied = {0.8, -0.4, 0.3, 0.6, 0.3, 0.6, 0.1, -0.2, -0.2};
    int checked = 0;
    for (double[] parameters : List.of(spread, tied)) {
      for (double delta : new double[] {1.0, 0.7}) {
        for (String loss : PAGE_LOSSES) {
          compare(loss, xy, labels, parameters, delta, 0.05);
          checked++;
        }
      }
    }
    assertEquals(24, checked);
    assertEquals(List.of(), chromium.problems(), "the page reported errors");
  }

  private static void compare(String lossName, float[] xy, int[] labels, double[] parameters, double delta,
      double lambda) throws Exception {
    int n = labels.length;
    LinearWeights weights = new LinearWeights(3, 2, parameters.clone());
    double[] gradient = new double[parameters.length];
    BlockObjective objective = new BlockObjective(LossKind.fromName(lossName).create(delta));
    double data = objective.accumulateAll(weights, new FeatureBlock(0, n, 2, xy.clone(), labels), gradient) / n;
    for (int i = 0; i < gradient.length; i++) {
      gradient[i] /= n;
    }
    double loss = data + new L2Regularization(lambda).addTo(weights, gradient);

    double[][] points = new double[n][];
    for (int i = 0; i < n; i++) {
      points[i] = new double[] {xy[2 * i], xy[2 * i + 1]};
    }
    double[][] w = {{parameters[0], parameters[1]}, {parameters[2], parameters[3]}, {parameters[4], parameters[5]}};
    double[] b = {parameters[6], parameters[7], parameters[8]};
    JsonNode page = chromium.evaluate("(() => { const o = PlaygroundMath.objective(" + String.join(", ",
        JSON.writeValueAsString(lossName), JSON.writeValueAsString(points), JSON.writeValueAsString(labels),
        JSON.writeValueAsString(w), JSON.writeValueAsString(b))
        + ", {lambda: " + lambda + ", delta: " + delta + "}); return {loss: o.loss, gradW: o.gradW, gradB: o.gradB}; })()");
    String what = lossName + " (delta " + delta + ", W " + java.util.Arrays.toString(parameters) + ")";
    assertEquals(loss, page.get("loss").asDouble(), 1e-9, what + ": loss");
    for (int k = 0; k < 3; k++) {
      for (int d = 0; d < 2; d++) {
        assertEquals(gradient[k * 2 + d], page.get("gradW").get(k).get(d).asDouble(), 1e-9,
            what + ": dW[" + k + "][" + d + "]");
      }
      assertEquals(gradient[weights.biasOffset() + k], page.get("gradB").get(k).asDouble(), 1e-9,
          what + ": db[" + k + "]");
    }
  }

  /**
   * As a user: add a point and delete it again (with the mouse and with the keyboard), pick a loss (MSE, then softmax), step, run and pause on separable blobs (the loss
   * falls, every point ends up right); XOR stays below 100 % with the plain linear model and reaches it once random
   * features are switched on. A screenshot of the result is kept under target/ and must not be blank.
   */
  @Test
  void aUserTrainsOnBlobsAndSolvesXorOnlyWithRandomFeatures() throws Exception {
    chromium.open(pageUrl, 1280, 1000);
    int before = (int) number("points");
    JsonNode plane = chromium.evaluate("(() => { const r = document.getElementById('plane')"
        + ".getBoundingClientRect(); return [r.left, r.top, r.width]; })()");
    double cornerX = plane.get(0).asDouble() + 0.95 * plane.get(2).asDouble();
    double cornerY = plane.get(1).asDouble() + 0.05 * plane.get(2).asDouble();
    chromium.click(cornerX, cornerY, false);
    assertEquals(before + 1, (int) number("points"), "a click on the plane adds a point");
    chromium.click(cornerX, cornerY, true);
    assertEquals(before, (int) number("points"), "a shift-click on it deletes it");
    chromium.evaluate("document.getElementById('plane').focus()");
    chromium.press("a", 65);
    assertEquals(before + 1, (int) number("points"), "A on the focused plane adds a point");
    chromium.press("Delete", 46);
    assertEquals(before, (int) number("points"), "Delete removes the selected point");

    chromium.click("input[name=loss][value=mse]");
    assertEquals("mse", chromium.evaluate("playground.state.loss").asText());
    chromium.click("input[name=loss][value=softmax]"); // smooth and never 0: its fall shows over many steps
    assertEquals("softmax", chromium.evaluate("playground.state.loss").asText());
    double initial = number("loss");
    for (int i = 0; i < 5; i++) {
      chromium.click("#step");
    }
    assertEquals(5, (int) number("step"));
    double afterSteps = number("loss");
    assertTrue(afterSteps < initial, "five steps lower the loss: " + initial + " -> " + afterSteps);
    // what the README shows: lines, normals, regions and each point's loss, a few steps into training
    Path artefacts = TestSupport.projectDir().resolve("target/playground");
    Files.createDirectories(artefacts);
    chromium.evaluate("window.scrollTo(0, 0)");
    Files.write(artefacts.resolve("playground-blobs.png"), chromium.screenshot(false));
    runUntil("Number(document.getElementById('status').dataset.step) >= 150", 20000);
    double afterRun = number("loss");
    assertTrue(afterRun < afterSteps, "running lowers it further: " + afterSteps + " -> " + afterRun);
    assertEquals(1.0, number("accuracy"), "separable blobs end up all right");

    chromium.click("input[name=dataset][value=xor]");
    assertEquals(0, (int) number("step"), "a new data set starts from a new model");
    runUntil("Number(document.getElementById('status').dataset.step) >= 300", 20000);
    double linear = number("accuracy");
    assertTrue(linear < 1.0, "no line separates XOR: " + linear);

    chromium.click("#rf");
    assertTrue(chromium.evaluate("playground.state.rf").asBoolean(), "random features are on");
    runUntil("Number(document.getElementById('status').dataset.accuracy) === 1", 20000);
    assertEquals(1.0, number("accuracy"), "random ReLU features separate XOR");
    // MSE's curvature grows with the features: its auto rate keeps it from diverging where softmax's 0.1 would
    chromium.click("input[name=loss][value=mse]");
    double rate = Double.parseDouble(chromium.evaluate("document.getElementById('lr').value").asText());
    assertTrue(rate < 0.1, "the auto rate of MSE on 100 random features: " + rate);
    int stepsSoFar = (int) number("step");
    runUntil("Number(document.getElementById('status').dataset.step) >= " + (stepsSoFar + 150), 20000);
    assertTrue(Double.isFinite(number("loss")) && number("accuracy") == 1.0, "MSE trains on from there");

    byte[] png = chromium.screenshot(true);
    Files.write(artefacts.resolve("playground-xor-random-features.png"), png);
    assertNotBlank(png);

    chromium.resize(360, 800);
    chromium.evaluate("window.dispatchEvent(new Event('resize'))");
    assertTrue(chromium.evaluate("document.documentElement.scrollWidth").asInt() <= 360,
        "at a phone's 360 px nothing runs off to the side");
    Files.write(artefacts.resolve("playground-360px.png"), chromium.screenshot(true));
    assertEquals(List.of(), chromium.problems(), "the page reported errors");
  }

  private static double number(String field) {
    return Double.parseDouble(chromium.evaluate("document.getElementById('status').dataset." + field).asText());
  }

  /**
   * Clicks Run, waits until {@code condition} holds in the page (at most {@code millis}, a bound for a loaded
   * machine, not a speed test), clicks Pause.
   */
  private static void runUntil(String condition, long millis) throws InterruptedException {
    chromium.click("#run");
    long deadline = System.currentTimeMillis() + millis;
    while (!chromium.evaluate(condition).asBoolean() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    chromium.click("#pause");
    assertTrue(chromium.evaluate(condition).asBoolean(), "within " + millis + " ms of running: " + condition
        + "; status: " + chromium.evaluate("document.getElementById('status').textContent").asText());
  }

  private static void assertNotBlank(byte[] png) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertTrue(image != null && image.getWidth() >= 1000, "a screenshot of the page");
    long inked = 0;
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y) & 0xffffff;
        inked += rgb != 0xffffff && rgb != 0xfafbfc ? 1 : 0;
        colours.add(rgb);
      }
    }
    long sampled = (long) (image.getWidth() / 2) * (image.getHeight() / 2);
    assertTrue(inked > sampled / 20, "screenshot is blank: " + inked + " of " + sampled + " sampled pixels inked");
    assertTrue(colours.size() > 20, "screenshot has only " + colours.size() + " colours");
  }
}
