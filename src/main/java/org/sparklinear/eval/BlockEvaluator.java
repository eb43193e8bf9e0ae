package org.sparklinear.eval;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;

/** Accuracy and confusion matrix of weights on cached feature blocks, one pass, scored a chunk at a time. */
public final class BlockEvaluator {
  private BlockEvaluator() {}

  public static ConfusionMatrix evaluate(JavaSparkContext sc, JavaRDD<FeatureBlock> blocks, LinearWeights weights) {
    Broadcast<LinearWeights> bc = sc.broadcast(weights.copy());
    try {
      int classes = weights.classes();
      return blocks.map(block -> confusion(bc.value(), block))
          .treeAggregate(new ConfusionMatrix(classes), ConfusionMatrix::merge, ConfusionMatrix::merge, 2);
    } finally {
      bc.destroy();
    }
  }

  /** The confusion matrix of one block. */
  public static ConfusionMatrix confusion(LinearWeights weights, FeatureBlock block) {
    int k = weights.classes();
    int d = weights.features();
    ConfusionMatrix cm = new ConfusionMatrix(k);
    int chunk = BlockObjective.CHUNK_ROWS;
    double[] rows = new double[chunk * d];
    int[] labels = new int[chunk];
    double[] scores = new double[chunk * k];
    for (int first = 0; first < block.rows(); first += chunk) {
      int n = Math.min(chunk, block.rows() - first);
      block.copyRows(first, n, rows, labels);
      BlockObjective.computeScores(weights, rows, n, scores);
      for (int r = 0; r < n; r++) {
        cm.add(labels[r], argmax(scores, r * k, k));
      }
    }
    return cm;
  }

  /** Index of the largest of {@code values[offset .. offset + n)}; the first on ties. */
  public static int argmax(double[] values, int offset, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (values[offset + i] > values[offset + best]) {
        best = i;
      }
    }
    return best;
  }
}
