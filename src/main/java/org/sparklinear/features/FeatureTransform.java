package org.sparklinear.features;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.sparklinear.data.ImageShape;
import org.sparklinear.data.LabeledImage;

/**
 * What the model sees of an image: the concatenation of named features ({@code pixels}, {@code hog},
 * {@code color-hist}, joined with {@code +}), optionally followed by random features: the base features standardised
 * (with statistics fitted on the training rows), a fixed random projection to N dimensions (Gaussian, seeded) plus a
 * random offset, and a ReLU. The same transform runs at training, evaluation and prediction, and is saved with the
 * model. Plain {@code pixels} without random features is the identity: images keep their 8-bit path.
 */
public final class FeatureTransform implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String PIXELS = "pixels";

  private final String spec;
  private final List<ImageFeature> parts;
  private final int randomFeatures;
  private final long randomSeed;
  private final float[] inputMean;
  private final float[] inputScale;
  private transient volatile Projection projection;

  private record Projection(float[] weights, float[] offsets) {}

  private FeatureTransform(String spec, List<ImageFeature> parts, int randomFeatures, long randomSeed,
      float[] inputMean, float[] inputScale) {
    this.spec = spec;
    this.parts = List.copyOf(parts);
    this.randomFeatures = randomFeatures;
    this.randomSeed = randomSeed;
    this.inputMean = inputMean;
    this.inputScale = inputScale;
  }

  /**
   * @param spec e.g. {@code pixels}, {@code hog+color-hist}
   * @param randomFeatures 0 for none
   */
  public static FeatureTransform parse(String spec, int randomFeatures, long randomSeed) {
    List<ImageFeature> parts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String name : spec.trim().split("\\+")) {
      String n = name.trim();
      ImageFeature f = switch (n) {
        case PIXELS -> new PixelFeature();
        case "hog" -> new HogFeature();
        case "color-hist" -> new HueHistogramFeature();
        default -> throw new IllegalArgumentException("unknown feature '" + n + "' in '" + spec
            + "'; features are pixels, hog and color-hist, joined with +");
      };
      if (names.contains(n)) {
        throw new IllegalArgumentException("feature '" + n + "' appears twice in '" + spec + "'");
      }
      names.add(n);
      parts.add(f);
    }
    if (randomFeatures < 0) {
      throw new IllegalArgumentException("random features must be >= 0, got " + randomFeatures);
    }
    return new FeatureTransform(String.join("+", names), parts, randomFeatures, randomSeed, null, null);
  }

  public static FeatureTransform pixels() {
    return parse(PIXELS, 0, 0);
  }

  public String spec() {
    return spec;
  }

  public int randomFeatures() {
    return randomFeatures;
  }

  public long randomSeed() {
    return randomSeed;
  }

  /** Identity: the model works on the 8-bit pixels directly. */
  public boolean isIdentity() {
    return randomFeatures == 0 && spec.equals(PIXELS);
  }

  /** Random features need the standardisation of their input fitted first ({@link #withInputStatistics}). */
  public boolean needsFitting() {
    return randomFeatures > 0 && inputMean == null;
  }

  public float[] inputMean() {
    return inputMean == null ? null : inputMean.clone();
  }

  public float[] inputScale() {
    return inputScale == null ? null : inputScale.clone();
  }

  public FeatureTransform withInputStatistics(float[] mean, float[] scale) {
    if (randomFeatures == 0) {
      throw new IllegalStateException("only random features take input statistics");
    }
    return new FeatureTransform(spec, parts, randomFeatures, randomSeed, mean.clone(), scale.clone());
  }

  public int baseSize(ImageShape shape) {
    return parts.stream().mapToInt(p -> p.size(shape)).sum();
  }

  public int outputSize(ImageShape shape) {
    return randomFeatures > 0 ? randomFeatures : baseSize(shape);
  }

  /** The concatenated named features, before any random projection. */
  public float[] base(byte[] pixels, ImageShape shape) {
    float[] out = new float[baseSize(shape)];
    int offset = 0;
    for (ImageFeature part : parts) {
      part.compute(pixels, shape, out, offset);
      offset += part.size(shape);
    }
    return out;
  }

  /**
   * The base features of an example: of an image, the named features; of a feature vector (LibSVM, a vector
   * column), the vector itself, which only {@code pixels} (meaning "the input as it is") can stand for.
   */
  public float[] base(LabeledImage example, ImageShape shape) {
    if (example.pixels() != null) {
      return base(example.pixels(), shape);
    }
    if (!spec.equals(PIXELS)) {
      throw new IllegalArgumentException(example.source() + ": " + spec + " needs images; this input holds feature"
          + " vectors (use --features pixels, optionally with --random-features)");
    }
    return example.requireFinite().values().clone();
  }

  /** The named features, in order ({@code pixels}, {@code hog}, {@code color-hist}). */
  public List<String> names() {
    return parts.stream().map(ImageFeature::name).toList();
  }

  /**
   * The random projection as {@link #apply} uses it, for an exporter: {@code randomFeatures x baseSize} weights
   * (row-major), then the {@code randomFeatures} offsets. Copies.
   */
  public float[][] randomProjection(ImageShape shape) {
    if (randomFeatures == 0) {
      throw new IllegalStateException("no random features");
    }
    Projection p = projection(baseSize(shape));
    return new float[][] {p.weights().clone(), p.offsets().clone()};
  }

  public float[] apply(byte[] pixels, ImageShape shape) {
    return project(base(pixels, shape));
  }

  private float[] project(float[] base) {
    if (randomFeatures == 0) {
      return base;
    }
    if (inputMean == null) {
      throw new IllegalStateException("random features are not fitted yet");
    }
    int d = base.length;
    for (int i = 0; i < d; i++) {
      base[i] = (base[i] - inputMean[i]) / inputScale[i];
    }
    Projection p = projection(d);
    float[] out = new float[randomFeatures];
    for (int j = 0; j < randomFeatures; j++) {
      float sum = p.offsets()[j];
      int row = j * d;
      for (int i = 0; i < d; i++) {
        sum += p.weights()[row + i] * base[i];
      }
      out[j] = Math.max(0f, sum);
    }
    return out;
  }

  /** An example turned into its feature vector (same source and label). */
  public LabeledImage apply(LabeledImage example, ImageShape shape) {
    return LabeledImage.ofFeatures(example.source(), example.label(), project(base(example, shape)));
  }

  /** The projection, regenerated from the seed in every JVM that needs it (it is not serialised). */
  private Projection projection(int d) {
    Projection p = projection;
    if (p == null) {
      synchronized (this) {
        p = projection;
        if (p == null) {
          SplittableRandom random = new SplittableRandom(randomSeed);
          float[] weights = new float[randomFeatures * d];
          double scale = 1 / Math.sqrt(d); // unit-variance inputs give unit-variance projections
          for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (scale * gaussian(random));
          }
          float[] offsets = new float[randomFeatures];
          for (int j = 0; j < randomFeatures; j++) {
            offsets[j] = (float) (random.nextDouble() * 2 - 1);
          }
          p = new Projection(weights, offsets);
          projection = p;
        }
      }
    }
    return p;
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  @Override
  public String toString() {
    return randomFeatures == 0 ? spec : spec + " -> " + randomFeatures + " random ReLU features (seed " + randomSeed
        + ")";
  }
}
