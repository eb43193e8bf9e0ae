package org.sparklinear.features;

import org.sparklinear.data.ImageShape;

/**
 * Histogram of oriented gradients on the grey image, as in the lecture notes' feature assignment: forward-difference
 * gradients, unsigned orientations (0..180 degrees) in 9 bins, and per 8x8-pixel cell the mean gradient magnitude of
 * each bin (cells x 9 values; 4 x 4 x 9 = 144 for 32 x 32 images). Partial cells at the border are dropped.
 */
public final class HogFeature implements ImageFeature {
  private static final long serialVersionUID = 1L;
  public static final int CELL = 8;
  public static final int BINS = 9;

  @Override
  public String name() {
    return "hog";
  }

  @Override
  public int size(ImageShape shape) {
    return (shape.height() / CELL) * (shape.width() / CELL) * BINS;
  }

  @Override
  public void compute(byte[] pixels, ImageShape shape, float[] out, int offset) {
    int h = shape.height();
    int w = shape.width();
    float[] grey = ImageFeature.grey(pixels, shape);
    int cellsX = w / CELL;
    int cellsY = h / CELL;
    java.util.Arrays.fill(out, offset, offset + size(shape), 0f);
    for (int y = 0; y < cellsY * CELL; y++) {
      for (int x = 0; x < cellsX * CELL; x++) {
        float gx = x + 1 < w ? grey[y * w + x + 1] - grey[y * w + x] : 0;
        float gy = y + 1 < h ? grey[(y + 1) * w + x] - grey[y * w + x] : 0;
        double magnitude = Math.sqrt(gx * gx + gy * gy);
        if (magnitude == 0) {
          continue;
        }
        double degrees = Math.toDegrees(Math.atan2(gy, gx)); // -180..180, folded to 0..180: unsigned
        if (degrees < 0) {
          degrees += 180;
        }
        int bin = Math.min(BINS - 1, (int) (degrees / (180.0 / BINS)));
        int cell = (y / CELL) * cellsX + x / CELL;
        out[offset + cell * BINS + bin] += (float) (magnitude / (CELL * CELL));
      }
    }
  }
}
