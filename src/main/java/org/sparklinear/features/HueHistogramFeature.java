package org.sparklinear.features;

import org.sparklinear.data.ImageShape;

/** The share of pixels whose HSV hue falls in each of 10 equal bins (grey pixels, hue 0, count in the first). */
public final class HueHistogramFeature implements ImageFeature {
  private static final long serialVersionUID = 1L;
  public static final int BINS = 10;

  @Override
  public String name() {
    return "color-hist";
  }

  @Override
  public int size(ImageShape shape) {
    return BINS;
  }

  @Override
  public void compute(byte[] pixels, ImageShape shape, float[] out, int offset) {
    int plane = shape.height() * shape.width();
    java.util.Arrays.fill(out, offset, offset + BINS, 0f);
    for (int p = 0; p < plane; p++) {
      int r = pixels[p] & 0xff;
      int g = shape.channels() == 1 ? r : pixels[plane + p] & 0xff;
      int b = shape.channels() == 1 ? r : pixels[2 * plane + p] & 0xff;
      double hue = hue(r, g, b);
      out[offset + Math.min(BINS - 1, (int) (hue * BINS))] += 1f / plane;
    }
  }

  /** HSV hue in [0, 1). */
  static double hue(int r, int g, int b) {
    int max = Math.max(r, Math.max(g, b));
    int min = Math.min(r, Math.min(g, b));
    double delta = max - min;
    if (delta == 0) {
      return 0;
    }
    double h;
    if (max == r) {
      h = ((g - b) / delta) / 6;
    } else if (max == g) {
      h = ((b - r) / delta + 2) / 6;
    } else {
      h = ((r - g) / delta + 4) / 6;
    }
    return h < 0 ? h + 1 : h;
  }
}
