package org.sparklinear.data;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * Decoded images as an RDD, with what is known of them before any Spark job runs.
 *
 * @param shape the images' shape (of the input, also when the examples are computed features)
 * @param features how many values each example holds: the shape's pixels, or the size of computed features
 * @param records how many records the input holds (before any skipped bad images)
 * @param skippedBadImages counts images skipped under {@code --skip-bad-images}, filled as the RDD is computed
 */
public record ImageDataset(JavaRDD<LabeledImage> images, List<String> classNames, ImageShape shape, int features,
    long records, org.apache.spark.util.LongAccumulator skippedBadImages, String description) {

  public ImageDataset(JavaRDD<LabeledImage> images, List<String> classNames, ImageShape shape, long records,
      org.apache.spark.util.LongAccumulator skippedBadImages, String description) {
    this(images, classNames, shape, shape.features(), records, skippedBadImages, description);
  }

  /** The same records as other examples (computed features of {@code features} values each). */
  public ImageDataset withExamples(JavaRDD<LabeledImage> examples, int features, String what) {
    return new ImageDataset(examples, classNames, shape, features, records, skippedBadImages,
        description + ", " + what);
  }
}
