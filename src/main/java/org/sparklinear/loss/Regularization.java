package org.sparklinear.loss;

import java.util.ArrayList;
import java.util.List;
import org.sparklinear.linalg.LinearWeights;

/**
 * A penalty on the class templates {@code W} (never on the biases), added on the driver after aggregation, and by
 * each partition in a round of local steps (hence serialisable).
 */
public interface Regularization extends java.io.Serializable {

  /** Adds the penalty's (sub)gradient to {@code gradient} and returns the penalty. */
  double addTo(LinearWeights weights, double[] gradient);

  /** {@code l2 * sum W^2 + l1 * sum |W|}; either strength may be 0. */
  static Regularization of(double l2, double l1) {
    List<Regularization> terms = new ArrayList<>();
    if (l2 > 0) {
      terms.add(new L2Regularization(l2));
    }
    if (l1 > 0) {
      terms.add(new L1Regularization(l1));
    }
    return (weights, gradient) -> {
      double penalty = 0;
      for (Regularization term : terms) {
        penalty += term.addTo(weights, gradient);
      }
      return penalty;
    };
  }
}
