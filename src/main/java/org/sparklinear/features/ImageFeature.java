package org.sparklinear.features;

import java.io.Serializable;
import org.sparklinear.data.ImageShape;

/** One stateless feature of an image, computed from its 8-bit planar pixels. */
public interface ImageFeature extends Serializable {

  String name();

  int size(ImageShape shape);

  /** Writes {@link #size} values into {@code out} at {@code offset}. */
  void compute(byte[] pixels, ImageShape shape, float[] out, int offset);

  /** Grey levels 0..255 (ITU-R BT.601 weights) of an RGB or grey image. */
  static float[] grey(byte[] pixels, ImageShape shape) {
    int plane = shape.height() * shape.width();
    float[] grey = new float[plane];
    for (int p = 0; p < plane; p++) {
      grey[p] = shape.channels() == 1 ? pixels[p] & 0xff
          : 0.299f * (pixels[p] & 0xff) + 0.587f * (pixels[plane + p] & 0xff) + 0.114f * (pixels[2 * plane + p] & 0xff);
    }
    return grey;
  }
}
