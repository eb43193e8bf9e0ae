package org.sparklinear.robustness;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.BadInputException;
import org.sparklinear.TestSupport;
import org.sparklinear.data.CifarBinaryFormat;
import org.sparklinear.data.ImageDecoder;
import org.sparklinear.data.ImageShape;
import org.sparklinear.model.ModelStore;

/**
 * Flipped, truncated and spliced bytes of real inputs (a fixed seed, bounded in count and time) give a decoded
 * result or a {@link BadInputException}: never another exception, an error or a hang.
 */
class FuzzTest {
  private static final long MAX_PIXELS = 4_000_000;

  /** One mutation of {@code original}: flip bits, truncate, splice in a copy of another part, or overwrite bytes. */
  static byte[] mutate(byte[] original, SplittableRandom r) {
    byte[] b = original.clone();
    switch (r.nextInt(4)) {
      case 0 -> {
        for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
          b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
      }
      case 1 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
      case 2 -> {
        int from = r.nextInt(b.length);
        int to = r.nextInt(b.length);
        int len = r.nextInt(Math.min(64, b.length - Math.max(from, to)) + 1);
        System.arraycopy(original, from, b, to, len);
      }
      default -> {
        for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
          b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
      }
    }
    return b;
  }

  private static byte[] encode(String format) throws IOException {
    byte[] png = Files.readAllBytes(TestSupport.samples().resolve("images/circle/0001.png"));
    if (format.equals("png")) {
      return png;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(ImageIO.read(new java.io.ByteArrayInputStream(png)), format, out);
    return out.toByteArray();
  }

  @Test
  void mutatedImagesDecodeOrFailCleanly() throws IOException {
    SplittableRandom r = new SplittableRandom(2024);
    int decoded = 0;
    int refused = 0;
    long deadline = System.nanoTime() + 60_000_000_000L;
    for (String format : new String[] {"png", "jpg", "bmp", "gif"}) {
      byte[] original = encode(format);
      for (int i = 0; i < 1000 && System.nanoTime() < deadline; i++) {
        byte[] mutated = mutate(original, r);
        try {
          byte[] pixels = ImageDecoder.decode(mutated, format + " case " + i, ImageShape.CIFAR10, MAX_PIXELS);
          assertTrue(pixels.length == ImageShape.CIFAR10.features());
          decoded++;
        } catch (BadInputException e) {
          assertTrue(e.getMessage().startsWith(format + " case " + i), e.getMessage());
          refused++;
        } catch (Throwable t) {
          fail(format + " case " + i + " threw " + t, t);
        }
      }
    }
    assertTrue(decoded > 0 && refused > 0, decoded + " decoded, " + refused + " refused");
  }

  @Test
  void headersDeclaringHugeImagesAreRefusedBeforeDecoding() {
    byte[] png = pngHeader(100_000, 100_000);
    BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(BadInputException.class,
        () -> ImageDecoder.decode(png, "bomb.png", ImageShape.CIFAR10, MAX_PIXELS));
    assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
  }

  /** A PNG signature and a valid IHDR chunk for an 8-bit RGB image of the given size, and nothing else. */
  static byte[] pngHeader(int width, int height) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 25);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    b.putInt(13);
    int chunkStart = b.position();
    b.put(new byte[] {'I', 'H', 'D', 'R'}).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
        .put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(b.array(), chunkStart, 17);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  @Test
  void mutatedCifarRecordsDecodeOrNameTheRecord() throws IOException {
    byte[] file = Files.readAllBytes(TestSupport.samples().resolve("cifar/samples.bin"));
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 2000; i++) {
      byte[] mutated = mutate(file, r);
      String problem = CifarBinaryFormat.sizeProblem(mutated.length);
      if (problem != null) {
        continue; // refused whole, before any record is read (DatasetReaderTest checks the message)
      }
      for (int rec = 0; rec < mutated.length / CifarBinaryFormat.RECORD_BYTES; rec++) {
        try {
          CifarBinaryFormat.decode(mutated, rec * CifarBinaryFormat.RECORD_BYTES, 5, "case" + i + "#" + rec);
        } catch (BadInputException e) {
          assertTrue(e.getMessage().startsWith("case" + i + "#" + rec), e.getMessage());
        }
      }
    }
  }

  @Test
  void mutatedModelFilesLoadIdenticallyOrAreRefused(@TempDir Path tmp) throws IOException {
    ModelStore store = new ModelStore(new Configuration());
    Path model = tmp.resolve("model");
    store.write(org.sparklinear.model.ModelStoreTestAccess.model(), model.toString(), false);
    byte[] weights = Files.readAllBytes(model.resolve(ModelStore.WEIGHTS_FILE));
    byte[] meta = Files.readAllBytes(model.resolve(ModelStore.METADATA_FILE));
    double[] reference = store.read(model.toString()).weights().parameters();
    SplittableRandom r = new SplittableRandom(99);
    int refused = 0;
    for (int i = 0; i < 1500; i++) {
      boolean inWeights = r.nextBoolean();
      byte[] mutated = mutate(inWeights ? weights : meta, r);
      Files.write(model.resolve(inWeights ? ModelStore.WEIGHTS_FILE : ModelStore.METADATA_FILE), mutated);
      try {
        double[] loaded = store.read(model.toString()).weights().parameters();
        // a change the checksum cannot see must leave the weights themselves untouched
        assertTrue(java.util.Arrays.equals(reference, loaded), "case " + i + " loaded different weights silently");
      } catch (BadInputException e) {
        assertTrue(e.getMessage().contains(model.toString()), e.getMessage());
        refused++;
      } catch (Throwable t) {
        fail("case " + i + " (" + (inWeights ? "weights" : "metadata") + ") threw " + t, t);
      } finally {
        Files.write(model.resolve(ModelStore.WEIGHTS_FILE), weights);
        Files.write(model.resolve(ModelStore.METADATA_FILE), meta);
      }
    }
    assertTrue(refused > 500, refused + " refused");
  }
}
