package org.sparklinear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.BadInputException;
import org.sparklinear.TestSupport;
import org.sparklinear.preprocess.Scaling;
import org.sparklinear.train.TrainingData;
import org.sparklinear.train.ValidationSplit;

/** LibSVM files and other float-feature sources on real Spark: classes, widths, partitions, NaN and infinity. */
class LibSvmReaderTest {
  private static JavaSparkContext sc;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    sc = TestSupport.localSpark(2);
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  private static ReadOptions options(int partitions) {
    return new ReadOptions(null, partitions, null, 3, false, 40_000_000L, null);
  }

  /** Three Gaussian blobs in 4 dimensions, labels 1..3 as LibSVM files usually have them. */
  static List<String> blobs(int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int label = 1 + i % 3;
      StringBuilder sb = new StringBuilder(Integer.toString(label));
      for (int f = 1; f <= 4; f++) {
        double centre = f == label ? 3 : 0;
        sb.append(' ').append(f).append(':').append(String.format("%.4f", centre + r.nextDouble() * 2 - 1));
      }
      lines.add(sb.toString());
    }
    return lines;
  }

  @Test
  void readsClassesWidthAndSourcesAndPartitionsTheSameWayEveryTime() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("svm"));
    Files.write(dir.resolve("a.libsvm"), blobs(30, 1));
    List<String> b = new ArrayList<>(blobs(20, 2));
    b.set(4, "# a comment line");
    b.add("2 6:1.5");
    Files.write(dir.resolve("b.libsvm"), b);
    DatasetReader reader = new DatasetReader(sc);
    ImageDataset data = reader.read(dir.toString(), options(3));
    assertTrue(data.description().startsWith("LibSVM, 2 file(s), 50 examples of 6 features"), data.description());
    assertEquals(List.of("1", "2", "3"), data.classNames());
    assertEquals(new ImageShape(1, 1, 6), data.shape());
    assertEquals(3, data.images().getNumPartitions());
    List<List<LabeledImage>> partitions = data.images().glom().collect();
    List<List<LabeledImage>> again = reader.read(dir.toString(), options(3)).images().glom().collect();
    for (int p = 0; p < 3; p++) {
      assertEquals(sources(partitions.get(p)), sources(again.get(p)), "partition " + p + " is read the same way");
    }
    LabeledImage last = partitions.stream().flatMap(List::stream).filter(e -> e.source().endsWith("b.libsvm:21"))
        .findFirst().orElseThrow();
    assertEquals(1, last.label());
    assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1.5f}, last.values());
    assertEquals(50, partitions.stream().mapToInt(List::size).sum());
    List<String> inOrder = partitions.stream().flatMap(List::stream).map(LabeledImage::source).toList();
    assertEquals("a.libsvm:1", inOrder.get(0));
    assertEquals("b.libsvm:21", inOrder.get(49));
    // names without the directory: the validation split hashes them, so a copy elsewhere splits the same way
    Path elsewhere = Files.createDirectories(tmp.resolve("copy/of/svm"));
    for (String name : List.of("a.libsvm", "b.libsvm")) {
      Files.copy(dir.resolve(name), elsewhere.resolve(name));
    }
    assertEquals(inOrder, reader.read(elsewhere.toString(), options(3)).images().map(LabeledImage::source)
        .collect());
    assertTrue(partitions.stream().allMatch(p -> p.size() >= 15), "contiguous ranges of similar size");
    assertEquals(1, reader.read(dir.resolve("a.libsvm").toString(), options(1)).images().getNumPartitions());
  }

  @Test
  void examplesAreNamedBelowTheFilesCommonFolder() {
    assertEquals(List.of("a.libsvm"), InputFiles.exampleNames(List.of("file:/data/svm/a.libsvm")));
    assertEquals(List.of("a.libsvm", "b.libsvm"),
        InputFiles.exampleNames(List.of("file:/data/svm/a.libsvm", "file:/data/svm/b.libsvm")));
    // a glob over folders of like-named files keeps the folders that tell them apart
    assertEquals(List.of("day1/part-0.libsvm", "day2/part-0.libsvm"), InputFiles.exampleNames(
        List.of("hdfs://nn:8020/logs/day1/part-0.libsvm", "hdfs://nn:8020/logs/day2/part-0.libsvm")));
    assertEquals(List.of("x/a.libsvm", "b.libsvm"),
        InputFiles.exampleNames(List.of("file:/d/x/a.libsvm", "file:/d/b.libsvm")));
  }

  private static List<String> sources(List<LabeledImage> rows) {
    return rows.stream().map(LabeledImage::source).toList();
  }

  @Test
  void nanOrInfiniteFeaturesStopTheReadWithFileAndLine() throws IOException {
    List<String> lines = new ArrayList<>(blobs(30, 3));
    lines.set(16, "2 1:0.5 3:nan".replace("nan", "NaN"));
    Path file = tmp.resolve("bad.libsvm");
    Files.write(file, lines);
    Exception e = assertThrows(Exception.class, () -> new DatasetReader(sc).read(file.toString(), options(2)));
    BadInputException bad = BadInputException.findIn(e);
    assertTrue(bad != null, e.toString());
    assertEquals(file + ":17: feature 3 is NaN", bad.getMessage().replace("file:", ""));
  }

  @Test
  void aCustomSourceWithNanIsReportedByItsExampleBeforeStatisticsAreComputed() {
    List<LabeledImage> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      float[] v = {i % 2, 1, 2};
      if (i == 23) {
        v[1] = Float.POSITIVE_INFINITY;
      }
      rows.add(LabeledImage.ofFeatures("sensor-feed#" + i, i % 2, v));
    }
    JavaRDD<LabeledImage> rdd = sc.parallelize(rows, 2);
    ImageDataset dataset = new ImageDataset(rdd, List.of("off", "on"), new ImageShape(1, 1, 3), 40,
        sc.sc().longAccumulator(), "custom feed");
    Exception e = assertThrows(Exception.class, () -> TrainingData.prepare(sc, dataset,
        new ValidationSplit(1, 0.0), Scaling.STANDARDIZE, null).close());
    BadInputException bad = BadInputException.findIn(e);
    assertTrue(bad != null, e.toString());
    assertEquals("sensor-feed#23: feature 2 is Infinity", bad.getMessage());
  }

  @Test
  void labelsOutsideTheModelsClassesAndTooWideRowsAreBadInput() throws IOException {
    Path file = tmp.resolve("eval.libsvm");
    List<String> lines = new ArrayList<>(blobs(10, 4));
    lines.add("7 1:1");
    Files.write(file, lines);
    ReadOptions forModel = options(1).withClassNames(List.of("1", "2", "3"));
    BadInputException e = assertThrows(BadInputException.class, () -> new DatasetReader(sc).read(file.toString(),
        forModel));
    assertTrue(e.getMessage().endsWith("eval.libsvm:11: label 7 is not one of the model's classes [1, 2, 3]"),
        e.getMessage());
    Files.write(file, List.of("1 1:1", "2 5:1"));
    e = assertThrows(BadInputException.class, () -> new DatasetReader(sc).read(file.toString(),
        forModel.withImageSize("4x1", 1)));
    assertTrue(e.getMessage().endsWith("eval.libsvm:2: feature index 5 is beyond the 4 features the model was"
        + " trained on"), e.getMessage());
  }
}
