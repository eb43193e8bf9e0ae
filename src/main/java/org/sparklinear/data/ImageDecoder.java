package org.sparklinear.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.sparklinear.BadInputException;

/**
 * Decodes PNG, JPEG, BMP and GIF files with {@code javax.imageio} and brings them to one {@link ImageShape}:
 * resized (bilinear) when their size differs, converted to RGB or to grey.
 *
 * <p>The size is read from the header first, so an image that declares absurd dimensions is refused before any
 * pixel buffer exists.
 */
public final class ImageDecoder {
  public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

  private ImageDecoder() {}

  public static boolean hasImageExtension(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** Width and height from the header only. */
  public static int[] readSize(byte[] encoded, String source, long maxPixels) {
    return withReader(encoded, source, reader -> {
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      checkSize(width, height, source, maxPixels);
      return new int[] {width, height};
    });
  }

  /** Decodes an image into planar 8-bit pixels of the given shape. */
  public static byte[] decode(byte[] encoded, String source, ImageShape shape, long maxPixels) {
    BufferedImage image = withReader(encoded, source, reader -> {
      checkSize(reader.getWidth(0), reader.getHeight(0), source, maxPixels);
      return reader.read(0);
    });
    return toPlanar(image, shape);
  }

  /** Planar pixels of an already decoded image, resized and converted to the shape. */
  public static byte[] toPlanar(BufferedImage image, ImageShape shape) {
    BufferedImage rgb = new BufferedImage(shape.width(), shape.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      if (image.getWidth() != shape.width() || image.getHeight() != shape.height()) {
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      }
      g.drawImage(image, 0, 0, shape.width(), shape.height(), null);
    } finally {
      g.dispose();
    }
    int plane = shape.width() * shape.height();
    byte[] pixels = new byte[shape.features()];
    int[] argb = rgb.getRGB(0, 0, shape.width(), shape.height(), null, 0, shape.width());
    for (int i = 0; i < plane; i++) {
      int r = (argb[i] >> 16) & 0xff;
      int gr = (argb[i] >> 8) & 0xff;
      int b = argb[i] & 0xff;
      if (shape.channels() == 3) {
        pixels[i] = (byte) r;
        pixels[plane + i] = (byte) gr;
        pixels[2 * plane + i] = (byte) b;
      } else {
        pixels[i] = (byte) Math.round(0.299 * r + 0.587 * gr + 0.114 * b);
      }
    }
    return pixels;
  }

  /** An RGB image of planar pixels; the inverse of {@link #toPlanar} for 3 channels. */
  public static BufferedImage fromPlanar(byte[] pixels, ImageShape shape) {
    BufferedImage image = new BufferedImage(shape.width(), shape.height(), BufferedImage.TYPE_INT_RGB);
    int plane = shape.width() * shape.height();
    for (int i = 0; i < plane; i++) {
      int r = pixels[i] & 0xff;
      int g = shape.channels() == 3 ? pixels[plane + i] & 0xff : r;
      int b = shape.channels() == 3 ? pixels[2 * plane + i] & 0xff : r;
      image.setRGB(i % shape.width(), i / shape.width(), (r << 16) | (g << 8) | b);
    }
    return image;
  }

  private static void checkSize(int width, int height, String source, long maxPixels) {
    if (width < 1 || height < 1) {
      throw new BadInputException(source + ": image declares an empty size " + width + "x" + height);
    }
    if ((long) width * height > maxPixels) {
      throw new BadInputException(source + ": image declares " + width + "x" + height + " = "
          + (long) width * height + " pixels, over the limit of " + maxPixels + " (--max-image-pixels)");
    }
  }

  private interface ReaderAction<T> {
    T apply(ImageReader reader) throws IOException;
  }

  private static <T> T withReader(byte[] encoded, String source, ReaderAction<T> action) {
    try (InputStream in = new ByteArrayInputStream(encoded);
        ImageInputStream stream = ImageIO.createImageInputStream(in)) {
      Iterator<ImageReader> readers = stream == null ? null : ImageIO.getImageReaders(stream);
      if (readers == null || !readers.hasNext()) {
        throw new BadInputException(source + ": not a readable image (no PNG, JPEG, BMP or GIF signature)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(stream, true, true);
        T result = action.apply(reader);
        if (result == null) {
          throw new BadInputException(source + ": the image decoder returned no image");
        }
        return result;
      } finally {
        reader.dispose();
      }
    } catch (BadInputException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // decoders throw anything from IIOException to IndexOutOfBounds on corrupt data
      throw new BadInputException(source + ": cannot decode image: " + e, e);
    }
  }
}
