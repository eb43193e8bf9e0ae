package org.sparklinear.data;

import java.io.Serializable;

/**
 * One decoded image: 8-bit pixels as channel planes (all of R, then G, then B), its class, and where it came from
 * ({@code file#record} or {@code class/file}), which identifies it in predictions and in the validation split.
 */
public record LabeledImage(String source, int label, byte[] pixels) implements Serializable {

  /** The pixel value {@code 0..255} at a flat index. */
  public int pixel(int index) {
    return pixels[index] & 0xff;
  }
}
