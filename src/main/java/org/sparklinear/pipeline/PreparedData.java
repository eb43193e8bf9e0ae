package org.sparklinear.pipeline;

import org.sparklinear.data.ImageDataset;
import org.sparklinear.features.FeatureTransform;
import org.sparklinear.train.TrainingData;

/**
 * Training data ready for the loop: read, turned into features (fitted on the training rows), split, preprocessed and
 * cached as packed blocks. Closing it releases the cache.
 *
 * @param dataset the images as read
 * @param source what the data was: a path, or a description of rows given in code
 */
public record PreparedData(ImageDataset dataset, String source, FeatureTransform features, TrainingData data)
    implements AutoCloseable {
  @Override
  public void close() {
    data.close();
  }
}
