package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;

/**
 * The HTML report: written by {@code train --report}, by {@code report} for an existing model and by
 * {@code sweep --report}; its PNG files decode with the expected sizes, and the page loads in a real headless
 * Chromium (Debian's, which .ci/run installs) with every image decoded and a screenshot that is not blank.
 */
class ReportTest {
  @TempDir Path tmp;

  private static BufferedImage png(Path file) throws Exception {
    BufferedImage image = ImageIO.read(file.toFile());
    assertTrue(image != null, file + " does not decode as an image");
    return image;
  }

  @Test
  void trainReportHasEveryChartAndLoadsInABrowser() throws Exception {
    Path report = tmp.resolve("report");
    String model = tmp.resolve("model").toString();
    CommandLineTest.run(0, "train", "--data", TestSupport.samples().resolve("cifar").toString(), "--model-out",
        model, "--report", report.toString(), "--batch-size", "32", "--master", "local[2]");
    assertEquals(800, png(report.resolve("loss.png")).getWidth());
    assertEquals(300, png(report.resolve("loss.png")).getHeight());
    assertEquals(300, png(report.resolve("accuracy.png")).getHeight());
    BufferedImage templates = png(report.resolve("templates.png"));
    assertEquals(5 * (32 * 4 + 8) + 8, templates.getWidth(), "five 32x32 templates at 4x");
    assertEquals(32 * 4 + 30, templates.getHeight());
    assertEquals(110 + 5 * 56 + 20, png(report.resolve("confusion.png")).getWidth(), "a 5x5 heat map");
    png(report.resolve("per-class.png"));
    String html = Files.readString(report.resolve("index.html"));
    for (String name : List.of("loss.png", "accuracy.png", "templates.png", "confusion.png", "per-class.png")) {
      assertTrue(html.contains("src=\"" + name + "\""), name);
    }
    assertTrue(!html.contains("http://") && !html.contains("https://"), "self-contained: nothing from elsewhere");
    assertTrue(!html.contains("sweep.png"), "no sweep, no sweep heat map");

    // report for the existing model, on other images
    Path again = tmp.resolve("again");
    CommandLineTest.run(0, "report", "--model", model, "--data", TestSupport.samples().resolve("images").toString(),
        "--out", again.toString(), "--master", "local[2]");
    assertTrue(Files.readString(again.resolve("index.html")).contains("of 300) on"), "evaluated on 300 images");
    assertEquals(800, png(again.resolve("loss.png")).getWidth());

    inBrowser(report, 5); // last: without Chromium the test is reported skipped, after every other check ran
  }

  @Test
  void sweepReportShowsTheHeatMap() throws Exception {
    Path report = tmp.resolve("sweep-report");
    CommandLineTest.run(0, "sweep", "--data", TestSupport.samples().resolve("cifar").toString(), "--model-out",
        tmp.resolve("best").toString(), "--lr", "0.01,0.1", "--reg", "0.0001,0.01,0.1", "--val-fraction", "0.2",
        "--report", report.toString(), "--master", "local[2]");
    BufferedImage heat = png(report.resolve("sweep.png"));
    assertEquals(110 + 3 * 90 + 20, heat.getWidth(), "columns: 3 L2 strengths");
    assertEquals(60 + 2 * 90 + 20, heat.getHeight(), "rows: 2 learning rates");
    assertTrue(Files.readString(report.resolve("index.html")).contains("src=\"sweep.png\""));
    inBrowser(report, 6);
  }

  /**
   * Loads the page in headless Chromium: every image must decode, and a screenshot must show something. Without
   * Chromium the calling test is aborted as skipped (a JUnit assumption), never passed; call it last.
   */
  private void inBrowser(Path report, int images) throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    String missing = "SKIPPED the browser check of the report: /usr/bin/chromium is absent (.ci/run installs it)";
    if (!Files.isExecutable(chromium)) {
      System.err.println(missing);
    }
    assumeTrue(Files.isExecutable(chromium), missing);
    String url = report.resolve("index.html").toUri().toString();
    List<String> common = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--user-data-dir=" + tmp.resolve("chromium-profile"));
    Process dom = new ProcessBuilder(concat(common, "--virtual-time-budget=5000", "--dump-dom", url))
        .redirectError(tmp.resolve("chromium-dom.log").toFile()).start();
    String page = new String(dom.getInputStream().readAllBytes());
    assertTrue(dom.waitFor(120, TimeUnit.SECONDS), "chromium --dump-dom did not finish");
    assertTrue(page.contains("data-images=\"" + images + "/" + images + "\""), "every image decoded in the"
        + " browser:\n" + page.substring(0, Math.min(page.length(), 600)));

    Path shot = tmp.resolve("shot.png");
    Process screenshot = new ProcessBuilder(concat(common, "--window-size=1200,1600", "--screenshot=" + shot, url))
        .redirectErrorStream(true).redirectOutput(tmp.resolve("chromium-shot.log").toFile()).start();
    assertTrue(screenshot.waitFor(120, TimeUnit.SECONDS), "chromium --screenshot did not finish");
    assertEquals(0, screenshot.exitValue(), Files.readString(tmp.resolve("chromium-shot.log")));
    BufferedImage image = png(shot);
    long inked = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        inked += (image.getRGB(x, y) & 0xffffff) != 0xffffff ? 1 : 0;
      }
    }
    long sampled = (long) (image.getWidth() / 2) * (image.getHeight() / 2);
    assertTrue(inked > sampled / 100, "screenshot is blank: " + inked + " of " + sampled + " sampled pixels inked");
  }

  private static List<String> concat(List<String> a, String... b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(List.of(b));
    return all;
  }
}
