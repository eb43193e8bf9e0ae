package org.sparklinear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.BadInputException;
import org.sparklinear.TestSupport;
import org.sparklinear.samples.SampleImageGenerator;

/** Reading both formats with real Spark, and every kind of bad input the core issue lists. */
class DatasetReaderTest {
  private static JavaSparkContext sc;
  private static DatasetReader reader;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    sc = TestSupport.localSpark(2);
    reader = new DatasetReader(sc);
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  private static ReadOptions options(int partitions) {
    return new ReadOptions(null, partitions, null, 3, false, 40_000_000L, null);
  }

  private static ReadOptions options(DataFormat format, int partitions) {
    return new ReadOptions(format, partitions, null, 3, false, 40_000_000L, null);
  }

  @Test
  void cifarAndImageFoldersOfTheSamplesHoldTheSamePixels() {
    ImageDataset cifar = reader.read(TestSupport.samples().resolve("cifar").toString(), options(3));
    ImageDataset images = reader.read(TestSupport.samples().resolve("images").toString(), options(2));
    assertEquals(SampleImageGenerator.CLASSES, cifar.classNames());
    assertEquals(SampleImageGenerator.CLASSES, images.classNames());
    assertEquals(ImageShape.CIFAR10, images.shape());
    assertEquals(3, cifar.images().getNumPartitions());
    Map<String, LabeledImage> byImage = images.images().collect().stream()
        .collect(Collectors.toMap(LabeledImage::source, i -> i));
    List<LabeledImage> records = cifar.images().collect();
    assertEquals(300, records.size());
    assertEquals(300, byImage.size());
    int classes = SampleImageGenerator.CLASSES.size();
    for (int i = 0; i < records.size(); i++) {
      LabeledImage r = records.get(i);
      assertEquals("samples.bin#" + i, r.source());
      LabeledImage png = byImage.get(String.format("%s/%04d.png", SampleImageGenerator.CLASSES.get(i % classes),
          i / classes + 1));
      assertEquals(r.label(), png.label());
      assertArrayEquals(r.pixels(), png.pixels(), "record " + i);
    }
  }

  @Test
  void realCifarSampleImagesDecodeToRgbPlanes() {
    Path shared = TestSupport.requireCifar10("the check of the sample PNGs against real CIFAR-10 records");
    ImageDataset pngs = reader.read(shared.resolveSibling("cifar10-sample-images").toString(), options(2));
    assertEquals(10, pngs.classNames().size());
    assertEquals(200, pngs.images().count());
    // each sample PNG is byte-for-byte a record of the batches (shared README): find the first airplane's record
    LabeledImage first = pngs.images().first();
    ImageDataset batch = reader.read(shared.toString(), options(2));
    long matches = batch.images().filter(r -> java.util.Arrays.equals(r.pixels(), first.pixels())).count();
    assertEquals(1, matches);
  }

  @Test
  void imagesOfOtherSizesAndGreyAreResized(@TempDir Path dir) throws IOException {
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b"));
    java.awt.image.BufferedImage grey = new java.awt.image.BufferedImage(20, 10,
        java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(3, 3, 0, 200);
    javax.imageio.ImageIO.write(grey, "png", a.resolve("x.png").toFile());
    javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(40, 40,
        java.awt.image.BufferedImage.TYPE_INT_RGB), "jpg", b.resolve("y.JPG").toFile());
    ImageDataset ds = reader.read(dir.toString(), options(2));
    assertEquals(new ImageShape(3, 10, 20), ds.shape()); // the first image's size
    List<LabeledImage> rows = ds.images().collect();
    assertEquals(2, rows.size());
    for (LabeledImage r : rows) {
      assertEquals(600, r.pixels().length);
    }
    ImageDataset fixed = reader.read(dir.toString(), options(1).withImageSize("8x8", 1));
    assertEquals(new ImageShape(1, 8, 8), fixed.shape());
    assertEquals(64, fixed.images().first().pixels().length);
  }

  @Test
  void cifarFileOfWrongSizeIsNamed() throws IOException {
    Path bad = tmp.resolve("data_batch_9.bin");
    Files.write(bad, new byte[3073 * 2 + 5]);
    BadInputException e = assertThrows(BadInputException.class, () -> reader.read(bad.toString(), options(1)));
    assertTrue(e.getMessage().contains("data_batch_9.bin"), e.getMessage());
    assertTrue(e.getMessage().contains("not a multiple of the 3073-byte"), e.getMessage());
  }

  @Test
  void labelOutsideTheClassesNamesTheRecord() throws IOException {
    byte[] data = new byte[3073 * 3];
    data[3073 * 2] = 10; // third record: label 10 of 10 classes
    Files.write(tmp.resolve("data_batch_1.bin"), data);
    Exception e = assertThrows(Exception.class, () -> reader.read(tmp.toString(), options(2)).images().count());
    BadInputException bad = BadInputException.findIn(e);
    assertTrue(bad != null && bad.getMessage().contains("data_batch_1.bin#2")
        && bad.getMessage().contains("label 10"), String.valueOf(bad));
  }

  @Test
  void corruptOrOversizedImageFailsNamingTheFileInBothImageReadersOrIsSkippedAndCounted() throws IOException {
    Path cls = Files.createDirectories(tmp.resolve("imgs/cat"));
    Path other = Files.createDirectories(tmp.resolve("imgs/dog"));
    javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB),
        "png", cls.resolve("good.png").toFile());
    javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB),
        "png", other.resolve("good.png").toFile());
    byte[] png = Files.readAllBytes(cls.resolve("good.png"));
    Files.write(other.resolve("broken.png"), java.util.Arrays.copyOf(png, 30));
    String root = tmp.resolve("imgs").toString();
    assertBothReadersFailNaming(root, "broken.png");
    for (DataFormat format : new DataFormat[] {DataFormat.IMAGES, DataFormat.BINARY_FILES}) {
      ImageDataset skipping = reader.read(root, new ReadOptions(format, 2, null, 3, true, 1000, null));
      assertEquals(2, skipping.images().count(), format.cliName());
      assertEquals(1, skipping.skippedBadImages().value(), format.cliName());
    }

    // over --max-image-pixels, found by the task that decodes it (the size is given, no header is read first)
    Files.delete(other.resolve("broken.png"));
    javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(200, 200,
        java.awt.image.BufferedImage.TYPE_INT_RGB), "png", other.resolve("huge.png").toFile());
    assertBothReadersFailNaming(root, "huge.png");
  }

  /** Both image readers fail on the root's images with the same message, naming the file. */
  private static void assertBothReadersFailNaming(String root, String file) {
    String[] messages = new String[2];
    DataFormat[] formats = {DataFormat.IMAGES, DataFormat.BINARY_FILES};
    for (int r = 0; r < 2; r++) {
      ReadOptions limited = new ReadOptions(formats[r], 2, "4x4", 3, false, 10_000, null);
      Exception e = assertThrows(Exception.class, () -> reader.read(root, limited).images().count());
      BadInputException found = BadInputException.findIn(e);
      assertTrue(found != null && found.getMessage().contains(file), formats[r] + ": " + e);
      messages[r] = found.getMessage();
    }
    assertEquals(messages[0], messages[1]);
  }

  @Test
  void absurdDeclaredSizeIsRefusedFromTheHeader() throws IOException {
    Path cls = Files.createDirectories(tmp.resolve("big/a"));
    Files.createDirectories(tmp.resolve("big/b"));
    javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(300, 300,
        java.awt.image.BufferedImage.TYPE_INT_RGB), "png", cls.resolve("x.png").toFile());
    javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(3, 3,
        java.awt.image.BufferedImage.TYPE_INT_RGB), "png", tmp.resolve("big/b/y.png").toFile());
    BadInputException e = assertThrows(BadInputException.class, () -> reader.read(tmp.resolve("big").toString(),
        new ReadOptions(null, 1, null, 3, false, 10_000, null)));
    assertTrue(e.getMessage().contains("300x300") && e.getMessage().contains("--max-image-pixels"), e.getMessage());
  }

  @Test
  void emptyClassFolderAndEmptyDatasetAreRefused() throws IOException {
    Files.createDirectories(tmp.resolve("e/cat"));
    Path dog = Files.createDirectories(tmp.resolve("e/dog"));
    javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB),
        "png", dog.resolve("a.png").toFile());
    BadInputException e = assertThrows(BadInputException.class,
        () -> reader.read(tmp.resolve("e").toString(), options(1)));
    assertTrue(e.getMessage().contains("cat") && e.getMessage().contains("no images"), e.getMessage());

    Files.createDirectories(tmp.resolve("nothing"));
    BadInputException empty = assertThrows(BadInputException.class,
        () -> reader.read(tmp.resolve("nothing").toString(), options(1)));
    assertTrue(empty.getMessage().contains("no class folders"), empty.getMessage());

    Files.write(tmp.resolve("empty.bin"), new byte[0]);
    BadInputException zero = assertThrows(BadInputException.class,
        () -> reader.read(tmp.resolve("empty.bin").toString(), options(1)));
    assertTrue(zero.getMessage().contains("empty"), zero.getMessage());

    assertThrows(BadInputException.class, () -> reader.read(tmp.resolve("missing").toString(), options(1)));
  }

  @Test
  void globsAndExplicitFormat() {
    String glob = TestSupport.samples().resolve("cifar").toString() + "/sampl*.bin";
    ImageDataset ds = reader.read(glob, options(2));
    assertEquals(300, ds.records());
    ReadOptions forced = new ReadOptions(DataFormat.IMAGES, 2, null, 3, false, 40_000_000L, null);
    assertThrows(BadInputException.class,
        () -> reader.read(TestSupport.samples().resolve("cifar").toString(), forced));
  }

  @Test
  void binaryFilesReadTheSamplesIntoTheImageFolderReadersPartitionsAndOrder() {
    String images = TestSupport.samples().resolve("images").toString();
    ImageDataset folders = reader.read(images, options(DataFormat.IMAGES, 3));
    ImageDataset binary = reader.read(images, options(DataFormat.BINARY_FILES, 3));
    assertEquals(folders.classNames(), binary.classNames());
    assertEquals(folders.shape(), binary.shape());
    assertEquals(300, binary.records());
    List<List<LabeledImage>> expected = folders.images().glom().collect();
    List<List<LabeledImage>> actual = binary.images().glom().collect();
    assertEquals(3, actual.size());
    for (int p = 0; p < 3; p++) {
      assertEquals(expected.get(p).size(), actual.get(p).size(), "partition " + p);
      for (int i = 0; i < expected.get(p).size(); i++) {
        LabeledImage e = expected.get(p).get(i);
        LabeledImage a = actual.get(p).get(i);
        assertEquals(e.source(), a.source());
        assertEquals(e.label(), a.label());
        assertArrayEquals(e.pixels(), a.pixels(), e.source());
      }
    }
  }

  @Test
  void classFoldersAreReadThroughBinaryFilesWhereSparkListsATreeFlat() throws IOException {
    String images = TestSupport.samples().resolve("images").toString();
    org.apache.hadoop.conf.Configuration conf = sc.hadoopConfiguration();
    assertEquals(DataFormat.IMAGES, DatasetReader.detect(images, conf, DatasetReader.flatListingSchemes(sc)));
    assertEquals(DataFormat.BINARY_FILES, DatasetReader.detect(images, conf, java.util.Set.of("file")));
    assertEquals(DataFormat.CIFAR10, DatasetReader.detect(TestSupport.samples().resolve("cifar").toString(), conf,
        java.util.Set.of("file")));
    assertEquals(DataFormat.BINARY_FILES, DataFormat.fromName("binary-files"));
  }
}
