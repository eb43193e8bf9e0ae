package org.sparklinear.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparklinear.TestSupport;
import org.sparklinear.data.CifarBinaryFormat;

/**
 * Models written by an earlier build (format version 1, fixtures/model-v1, see its README.md) still load and predict
 * the classes that build predicted. Only the public reading API: {@link ModelStore#read}, the CIFAR record decoder
 * and {@link LinearClassifier#predict}, image by image as {@code predict} scores them.
 */
class ModelFormatCompatibilityTest {
  private static final Path FIXTURES = TestSupport.projectDir().resolve("src/test/resources/fixtures/model-v1");

  @ParameterizedTest
  @ValueSource(strings = {"pixels-softmax", "hog-random-hinge"})
  void aFormatOneModelLoadsAndPredictsTheRecordedClasses(String name) throws Exception {
    LinearClassifier model = new ModelStore(new Configuration()).read(FIXTURES.resolve(name).toString());
    List<String> expected = Files.readAllLines(FIXTURES.resolve(name + ".expected.txt"));
    byte[] records = Files.readAllBytes(TestSupport.samples().resolve("cifar/samples.bin"));
    List<String> predicted = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      String source = "samples.bin#" + i;
      predicted.add(source + " " + model.predict(CifarBinaryFormat.decode(records, i * CifarBinaryFormat.RECORD_BYTES,
          model.classNames().size(), source)).className());
    }
    assertEquals(50, expected.size());
    assertEquals(expected, predicted, name + ": the classes predicted by the build that wrote the model");
  }
}
