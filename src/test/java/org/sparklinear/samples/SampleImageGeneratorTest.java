package org.sparklinear.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;
import org.sparklinear.cli.CommandLineTestAccess;

/** data-samples/ is exactly what the generator writes with the default options. */
class SampleImageGeneratorTest {

  @Test
  void committedSamplesAreReproducedByteForByte(@TempDir Path tmp) throws IOException {
    CommandLineTestAccess.run(0, "generate-samples", "--out", tmp.toString());
    List<Path> expected = list(TestSupport.samples());
    List<Path> actual = list(tmp);
    assertEquals(expected, actual);
    for (Path rel : expected) {
      assertArrayEquals(Files.readAllBytes(TestSupport.samples().resolve(rel)), Files.readAllBytes(tmp.resolve(rel)),
          rel.toString());
    }
    CommandLineTestAccess.run(2, "generate-samples", "--out", tmp.toString());
  }

  private static List<Path> list(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(root::relativize).sorted().collect(Collectors.toList());
    }
  }
}
