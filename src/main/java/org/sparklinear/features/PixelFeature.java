package org.sparklinear.features;

import org.sparklinear.data.ImageShape;

/** The raw pixels, 0..255, as channel planes. */
public final class PixelFeature implements ImageFeature {
  private static final long serialVersionUID = 1L;

  @Override
  public String name() {
    return "pixels";
  }

  @Override
  public int size(ImageShape shape) {
    return shape.features();
  }

  @Override
  public void compute(byte[] pixels, ImageShape shape, float[] out, int offset) {
    for (int i = 0; i < pixels.length; i++) {
      out[offset + i] = pixels[i] & 0xff;
    }
  }
}
