package org.sparklinear.model;

import org.sparklinear.loss.LossKind;

/** A small model for tests in other packages. */
public final class ModelStoreTestAccess {
  private ModelStoreTestAccess() {}

  public static LinearClassifier model() {
    return ModelStoreTest.model(LossKind.SOFTMAX);
  }
}
