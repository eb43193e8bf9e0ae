package org.sparklinear.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.data.ImageDataset;
import org.sparklinear.data.ImageShape;
import org.sparklinear.data.LabeledImage;
import org.sparklinear.features.FeatureTransform;
import org.sparklinear.preprocess.Preprocessor;
import org.sparklinear.preprocess.Scaling;

/**
 * Runs a {@link FeatureTransform} inside Spark's map, so features are computed where the images are and scale with
 * the cluster; fits the standardisation that random features need on the training rows first.
 */
public final class FeatureStage {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureStage.class);

  private FeatureStage() {}

  /** Fits what the transform still needs, on the training rows of {@code split} only. */
  public static FeatureTransform fit(ImageDataset dataset, FeatureTransform transform, ValidationSplit split) {
    if (!transform.needsFitting()) {
      return transform;
    }
    ImageShape shape = dataset.shape();
    int size = transform.baseSize(shape);
    JavaRDD<LabeledImage> base = dataset.images().filter(img -> !split.isValidation(img.source()))
        .map(img -> LabeledImage.ofFeatures(img.source(), img.label(), transform.base(img, shape)));
    Preprocessor standardize = Preprocessor.fit(TrainingData.statistics(base, size), Scaling.STANDARDIZE);
    LOG.info("fitted the standardisation of {} base features for {} random features", size,
        transform.randomFeatures());
    return transform.withInputStatistics(standardize.mean(), standardize.scale());
  }

  /** The dataset's images as feature examples; the dataset itself when the transform is the identity. */
  public static ImageDataset apply(ImageDataset dataset, FeatureTransform transform) {
    if (transform.isIdentity()) {
      return dataset;
    }
    return dataset.withExamples(apply(dataset.images(), transform, dataset.shape()),
        transform.outputSize(dataset.shape()), "features " + transform);
  }

  public static JavaRDD<LabeledImage> apply(JavaRDD<LabeledImage> images, FeatureTransform transform,
      ImageShape shape) {
    if (transform.isIdentity()) {
      return images;
    }
    // broadcast, as BlockPacker does: a random projection captured here would travel with every later job's tasks
    Broadcast<FeatureTransform> shared = JavaSparkContext.fromSparkContext(images.context()).broadcast(transform);
    return images.map(img -> shared.value().apply(img, shape));
  }
}
