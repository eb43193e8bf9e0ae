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
 * The core issue's acceptance run on the real CIFAR-10 training set: the default {@code train}, then
 * {@code evaluate --split validation}. Skipped, with a message, where ../shared/data/cifar10 is absent.
 */
class CifarAccuracyTest {
  @TempDir static Path tmp;

  @ParameterizedTest(name = "{0} reaches {1}")
  @CsvSource({"softmax, 0.39", "hinge, 0.38"})
  void defaultTrainingReachesTheReferenceAccuracy(String loss, double target) throws IOException {
    Path cifar = TestSupport.requireCifar10("the CIFAR-10 " + loss + " accuracy run");
    String model = tmp.resolve(loss).toString();
    CommandLineTest.run(0, "train", "--data", cifar.toString(), "--model-out", model, "--loss", loss);
    JsonNode result = new ObjectMapper().readTree(CommandLineTest.run(0, "evaluate", "--model", model, "--data",
        cifar.toString(), "--split", "validation", "--json"));
    double accuracy = result.get("accuracy").asDouble();
    assertTrue(result.get("examples").asLong() > 900, result.toString());
    assertTrue(accuracy >= target, loss + " validation accuracy " + accuracy + " < " + target);
  }
}
