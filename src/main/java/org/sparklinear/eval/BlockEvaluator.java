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

  /**
   * Accuracy of each model of a stack of {@code models} (model m owns classes m*K..(m+1)*K-1), in one pass: the
   * stacked scores come from one GEMM, each model's class is the argmax of its slice.
   */
  public static double[] evaluateStack(JavaSparkContext sc, JavaRDD<FeatureBlock> blocks, LinearWeights stacked,
      int models) {
    Broadcast<LinearWeights> bc = sc.broadcast(stacked.copy());
    try {
      long[] zero = new long[models + 1];
      long[] counts = blocks.map(block -> stackCounts(bc.value(), block, models))
          .treeAggregate(zero, BlockEvaluator::add, BlockEvaluator::add, 2);
      double[] accuracy = new double[models];
      for (int m = 0; m < models; m++) {
        accuracy[m] = counts[models] == 0 ? Double.NaN : (double) counts[m] / counts[models];
      }
      return accuracy;
    } finally {
      bc.destroy();
    }
  }

  private static long[] add(long[] a, long[] b) {
    long[] sum = a.clone();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += b[i];
    }
    return sum;
  }

  /** Correct predictions per model, then the number of rows. */
  static long[] stackCounts(LinearWeights weights, FeatureBlock block, int models) {
    int stackedClasses = weights.classes();
    int k = stackedClasses / models;
    int d = weights.features();
    long[] counts = new long[models + 1];
    int chunk = BlockObjective.CHUNK_ROWS;
    double[] rows = new double[chunk * d];
    int[] labels = new int[chunk];
    double[] scores = new double[chunk * stackedClasses];
    for (int first = 0; first < block.rows(); first += chunk) {
      int n = Math.min(chunk, block.rows() - first);
      block.copyRows(first, n, rows, labels);
      BlockObjective.computeScores(weights, rows, n, scores);
      for (int r = 0; r < n; r++) {
        for (int m = 0; m < models; m++) {
          counts[m] += argmax(scores, r * stackedClasses + m * k, k) == labels[r] ? 1 : 0;
        }
      }
      counts[models] += n;
    }
    return counts;
  }

  /** Mean target cosine and mean gap to the best wrong class (see {@code Validation#cosineDiagnostics}). */
  public static double[] cosineDiagnostics(JavaSparkContext sc, JavaRDD<FeatureBlock> blocks, LinearWeights weights) {
    Broadcast<LinearWeights> bc = sc.broadcast(weights.copy());
    try {
      double[] sums = blocks.map(block -> cosineSums(bc.value(), block))
          .fold(new double[3], (a, b) -> new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]});
      return sums[2] == 0 ? null : new double[] {sums[0] / sums[2], sums[1] / sums[2]};
    } finally {
      bc.destroy();
    }
  }

  /** Sum of target cosines, sum of gaps, rows. */
  static double[] cosineSums(LinearWeights weights, FeatureBlock block) {
    int k = weights.classes();
    int d = weights.features();
    double[] classNorm = BlockObjective.classNorms(weights);
    double[] row = new double[d];
    int[] label = new int[1];
    double[] scores = new double[k];
    double[] sums = new double[3];
    for (int r = 0; r < block.rows(); r++) {
      block.copyRows(r, 1, row, label);
      double norm = 0;
      for (double v : row) {
        norm += v * v;
      }
      norm = Math.max(Math.sqrt(norm), 1e-12);
      BlockObjective.computeScores(weights, row, 1, scores);
      double target = (scores[label[0]] - weights.bias(label[0])) / (norm * classNorm[label[0]]);
      double bestWrong = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        if (c != label[0]) {
          bestWrong = Math.max(bestWrong, (scores[c] - weights.bias(c)) / (norm * classNorm[c]));
        }
      }
      sums[0] += target;
      sums[1] += target - bestWrong;
      sums[2]++;
    }
    return sums;
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
