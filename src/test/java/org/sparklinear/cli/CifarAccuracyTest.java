package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparklinear.TestSupport;

/**
 * The acceptance runs on the real CIFAR-10 training set: {@code train} with the hinge loss on HOG + hue histogram
 * features, with and without random features on top, then {@code evaluate --split validation}. The default softmax
 * run on raw pixels (core issue, 0.39) is the README's own command, checked in {@code ReadmeCommandsIT}; hinge on raw
 * pixels (0.38) is left to the benchmark's defaults section, to keep the suite within its time. Skipped, with a message, where ../shared/data/cifar10 is absent.
 */
class CifarAccuracyTest {
  @TempDir static Path tmp;

  @ParameterizedTest(name = "{0} on {2} (random features {3}) reaches {1}")
  @CsvSource({"hinge, 0.46, hog+color-hist, 0", "hinge, 0.50, hog+color-hist, 4000"})
  void trainingReachesTheIssuesAccuracy(String loss, double target, String features, int random)
      throws IOException {
    Path cifar = TestSupport.requireCifar10("the CIFAR-10 " + loss + " accuracy run on " + features);
    String model = tmp.resolve(loss + "-" + features + "-" + random).toString();
    // the loss's standing rate: the rate search (tested on its own) would add up to 30 % to the suite's longest runs
    String rate = Double.toString(org.sparklinear.loss.LossKind.fromName(loss).defaultLearningRate());
    CommandLineTest.run(0, "train", "--data", cifar.toString(), "--model-out", model, "--loss", loss, "--features",
        features, "--random-features", Integer.toString(random), "--lr", rate);
    JsonNode result = new ObjectMapper().readTree(CommandLineTest.run(0, "evaluate", "--model", model, "--data",
        cifar.toString(), "--split", "validation", "--json"));
    double accuracy = result.get("accuracy").asDouble();
    assertTrue(result.get("examples").asLong() > 900, result.toString());
    assertTrue(accuracy >= target, loss + " validation accuracy " + accuracy + " < " + target);
  }
}
