package org.sparklinear.preprocess;

import java.io.Serializable;
import java.util.Arrays;
import org.sparklinear.BadInputException;
import org.sparklinear.data.LabeledImage;

/**
 * {@code (x - mean) / scale} per feature, with statistics fitted on training images only and saved in the model,
 * so that training, evaluation and prediction see identical features.
 */
public final class Preprocessor implements Serializable {
  private static final long serialVersionUID = 1L;
  /** A constant feature (e.g. a border pixel that is always black) is divided by 1, not by 0. */
  private static final double MIN_STANDARD_DEVIATION = 1e-3;

  private final Scaling scaling;
  private final float[] mean;
  private final float[] scale;

  public Preprocessor(Scaling scaling, float[] mean, float[] scale) {
    if (mean.length != scale.length) {
      throw new IllegalArgumentException("mean has " + mean.length + " features, scale " + scale.length);
    }
    for (int i = 0; i < scale.length; i++) {
      if (!(scale[i] > 0) || !Float.isFinite(scale[i]) || !Float.isFinite(mean[i])) {
        throw new IllegalArgumentException("preprocessing statistics are invalid at feature " + i
            + ": mean " + mean[i] + ", scale " + scale[i]);
      }
    }
    this.scaling = scaling;
    this.mean = mean;
    this.scale = scale;
  }

  /**
   * Fits mean and scale. Dividing by 255 only makes sense for pixels: feature vectors are standardised even when
   * {@code unit} scaling is asked for (the model records the scaling actually used).
   */
  public static Preprocessor fit(FeatureStatistics stats, Scaling scaling) {
    if (stats.count() == 0) {
      throw new IllegalArgumentException("cannot fit preprocessing on zero images");
    }
    if (scaling == Scaling.UNIT && !stats.pixelsOnly()) {
      scaling = Scaling.STANDARDIZE;
    }
    double[] m = stats.mean();
    double[] sd = stats.standardDeviation();
    float[] mean = new float[m.length];
    float[] scale = new float[m.length];
    for (int i = 0; i < m.length; i++) {
      mean[i] = (float) m[i];
      scale[i] = scaling == Scaling.UNIT ? 255f : (float) Math.max(sd[i], MIN_STANDARD_DEVIATION);
    }
    return new Preprocessor(scaling, mean, scale);
  }

  public int features() {
    return mean.length;
  }

  public Scaling scaling() {
    return scaling;
  }

  public float[] mean() {
    return mean.clone();
  }

  public float[] scale() {
    return scale.clone();
  }

  /** Writes the features of one image's raw pixels into {@code dest} at {@code offset}. */
  public void apply(byte[] pixels, float[] dest, int offset) {
    if (pixels.length != mean.length) {
      throw new IllegalArgumentException("image has " + pixels.length + " values; the preprocessing expects "
          + mean.length);
    }
    for (int i = 0; i < pixels.length; i++) {
      dest[offset + i] = ((pixels[i] & 0xff) - mean[i]) / scale[i];
    }
  }

  /**
   * Writes the features of one example into {@code dest} at {@code offset}.
   *
   * @throws BadInputException naming the example when a feature value is NaN or infinite
   */
  public void apply(LabeledImage example, float[] dest, int offset) {
    if (example.pixels() != null) {
      apply(example.pixels(), dest, offset);
      return;
    }
    float[] values = example.requireFinite().values();
    if (values.length != mean.length) {
      throw new BadInputException(example.source() + ": " + values.length + " feature values; the preprocessing"
          + " expects " + mean.length);
    }
    for (int i = 0; i < values.length; i++) {
      dest[offset + i] = (values[i] - mean[i]) / scale[i];
    }
  }

  public double[] apply(LabeledImage example) {
    float[] out = new float[example.length()];
    apply(example, out, 0);
    return toDoubles(out);
  }

  public double[] apply(byte[] pixels) {
    float[] out = new float[pixels.length];
    apply(pixels, out, 0);
    return toDoubles(out);
  }

  private static double[] toDoubles(float[] out) {
    double[] d = new double[out.length];
    for (int i = 0; i < out.length; i++) {
      d[i] = out[i];
    }
    return d;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Preprocessor p && p.scaling == scaling && Arrays.equals(p.mean, mean)
        && Arrays.equals(p.scale, scale);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(mean) * 31 + Arrays.hashCode(scale);
  }
}
