package org.sparklinear.data;

import java.io.Serializable;

/**
 * One labelled example and where it came from ({@code file#record}, {@code class/file} or {@code file:line}), which
 * identifies it in predictions, in error messages and in the validation split. Images carry 8-bit pixels as channel
 * planes (all of R, then G, then B); other sources (LibSVM files, vector columns) carry float feature values.
 *
 * @param pixels the image's pixels, or null for a feature vector
 * @param values the feature values, or null for an image
 */
public record LabeledImage(String source, int label, byte[] pixels, float[] values) implements Serializable {

  public LabeledImage {
    if ((pixels == null) == (values == null)) {
      throw new IllegalArgumentException(source + ": an example holds either pixels or feature values");
    }
  }

  public LabeledImage(String source, int label, byte[] pixels) {
    this(source, label, pixels, null);
  }

  public static LabeledImage ofFeatures(String source, int label, float[] values) {
    return new LabeledImage(source, label, null, values);
  }

  /** The pixel value {@code 0..255} at a flat index (images only). */
  public int pixel(int index) {
    return pixels[index] & 0xff;
  }

  /**
   * Fails, naming this example and the feature, when a feature value is NaN or infinite: one such value would turn
   * the statistics and then every weight into NaN.
   */
  public LabeledImage requireFinite() {
    if (values != null) {
      for (int i = 0; i < values.length; i++) {
        if (!Float.isFinite(values[i])) {
          throw new org.sparklinear.BadInputException(source + ": feature " + (i + 1) + " is " + values[i]);
        }
      }
    }
    return this;
  }

  public int length() {
    return pixels != null ? pixels.length : values.length;
  }
}
