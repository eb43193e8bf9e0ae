package org.sparklinear.data;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * Decoded images as an RDD, with what is known of them before any Spark job runs.
 *
 * @param records how many records the input holds (before any skipped bad images)
 * @param skippedBadImages counts images skipped under {@code --skip-bad-images}, filled as the RDD is computed
 */
public record ImageDataset(JavaRDD<LabeledImage> images, List<String> classNames, ImageShape shape, long records,
    org.apache.spark.util.LongAccumulator skippedBadImages, String description) {}
