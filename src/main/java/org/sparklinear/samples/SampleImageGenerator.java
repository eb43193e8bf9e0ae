package org.sparklinear.samples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.sparklinear.data.CifarBinaryFormat;
import org.sparklinear.data.ImageDecoder;
import org.sparklinear.data.ImageShape;

/**
 * Writes the project's own small dataset: 32x32 images of five visual classes (a shape, a colour or a texture each,
 * at random positions, sizes and shades, on noisy backgrounds) as PNG class folders and as one CIFAR-10 binary file
 * holding the same images. Deterministic for a seed, so the committed {@code data-samples/} can be checked against it.
 */
public final class SampleImageGenerator {
  /** The CIFAR-format file; not named like a real CIFAR batch so that nobody mistakes one for the other. */
  public static final String SAMPLES_FILE = "samples.bin";
  public static final List<String> CLASSES = List.of("circle", "cross", "gradient", "square", "stripes");
  private static final int SIZE = 32;

  private SampleImageGenerator() {}

  /** Writes {@code out/images/<class>/NNNN.png} and {@code out/cifar/samples.bin} + {@code batches.meta.txt}. */
  public static void generate(Path out, int perClass, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    int total = perClass * CLASSES.size();
    byte[] cifar = new byte[total * CifarBinaryFormat.RECORD_BYTES];
    Path images = out.resolve("images");
    Path cifarDir = out.resolve("cifar");
    Files.createDirectories(cifarDir);
    // interleave the classes, as CIFAR's own files do, so any contiguous range holds all of them
    for (int i = 0; i < total; i++) {
      int label = i % CLASSES.size();
      BufferedImage image = draw(label, random);
      Path dir = images.resolve(CLASSES.get(label));
      Files.createDirectories(dir);
      ImageIO.write(image, "png", dir.resolve(String.format("%04d.png", i / CLASSES.size() + 1)).toFile());
      CifarBinaryFormat.encode(label, ImageDecoder.toPlanar(image, ImageShape.CIFAR10), cifar,
          i * CifarBinaryFormat.RECORD_BYTES);
    }
    Files.write(cifarDir.resolve(SAMPLES_FILE), cifar);
    Files.writeString(cifarDir.resolve(CifarBinaryFormat.META_FILE), String.join("\n", CLASSES) + "\n",
        StandardCharsets.UTF_8);
  }

  static BufferedImage draw(int label, SplittableRandom random) {
    BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    int base = 60 + random.nextInt(80);
    int cx = 8 + random.nextInt(16);
    int cy = 8 + random.nextInt(16);
    int radius = 5 + random.nextInt(5);
    int period = 4 + random.nextInt(3);
    int phase = random.nextInt(period);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int noise = random.nextInt(41) - 20;
        int r = base + noise;
        int g = base + noise;
        int b = base + noise;
        int dx = x - cx;
        int dy = y - cy;
        switch (CLASSES.get(label)) {
          case "circle" -> {
            if (dx * dx + dy * dy <= radius * radius) {
              r += 110;
              g -= 40;
              b -= 40;
            }
          }
          case "cross" -> {
            if (Math.abs(dx) <= 1 || Math.abs(dy) <= 1) {
              r += 90;
              g += 90;
              b -= 50;
            }
          }
          case "gradient" -> {
            g += (x * 150) / SIZE - 40;
          }
          case "square" -> {
            if (Math.abs(dx) <= radius && Math.abs(dy) <= radius) {
              r -= 40;
              g += 100;
              b -= 20;
            }
          }
          case "stripes" -> {
            if ((y + phase) % period < period / 2) {
              b += 110;
            }
          }
          default -> throw new IllegalStateException("unknown class " + label);
        }
        img.setRGB(x, y, (clamp(r) << 16) | (clamp(g) << 8) | clamp(b));
      }
    }
    return img;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
