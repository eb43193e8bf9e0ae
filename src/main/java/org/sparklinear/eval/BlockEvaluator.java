package org.sparklinear.eval;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.linalg.CosineScores;
import org.sparklinear.linalg.Vectors;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.spark.BroadcastAggregate;

/** Accuracy and confusion matrix of weights on cached feature blocks, one pass, scored a chunk at a time. */
public final class BlockEvaluator {
  private BlockEvaluator() {}

  public static ConfusionMatrix evaluate(JavaSparkContext sc, JavaRDD<FeatureBlock> blocks, LinearWeights weights) {
    int classes = weights.classes();
    return BroadcastAggregate.run(sc, blocks, weights.copy(), (w, it) -> {
      ConfusionMatrix cm = new ConfusionMatrix(classes);
      it.forEachRemaining(block -> cm.merge(confusion(w, block)));
      return cm;
    }, new ConfusionMatrix(classes), ConfusionMatrix::merge, 2);
  }

  /** The same on blocks held in this JVM (the driver step mode's validation): no Spark job. */
  public static ConfusionMatrix evaluate(List<FeatureBlock> blocks, LinearWeights weights) {
    ConfusionMatrix cm = new ConfusionMatrix(weights.classes());
    blocks.forEach(block -> cm.merge(confusion(weights, block)));
    return cm;
  }

  /** The confusion matrix of one block. */
  public static ConfusionMatrix confusion(LinearWeights weights, FeatureBlock block) {
    int k = weights.classes();
    ConfusionMatrix cm = new ConfusionMatrix(k);
    scoreChunks(weights, block, (scores, labels, n) -> {
      for (int r = 0; r < n; r++) {
        cm.add(labels[r], Vectors.argmax(scores, r * k, k));
      }
    });
    return cm;
  }

  /** Receives a chunk's row-major {@code n x K} scores and its labels. */
  private interface ScoredChunk {
    void accept(double[] scores, int[] labels, int n);
  }

  /** Scores a block a chunk of rows at a time, as the training kernel does. */
  private static void scoreChunks(LinearWeights weights, FeatureBlock block, ScoredChunk sink) {
    int chunk = BlockObjective.CHUNK_ROWS;
    double[] rows = new double[chunk * weights.features()];
    int[] labels = new int[chunk];
    double[] scores = new double[chunk * weights.classes()];
    for (int first = 0; first < block.rows(); first += chunk) {
      int n = Math.min(chunk, block.rows() - first);
      block.copyRows(first, n, rows, labels);
      BlockObjective.computeScores(weights, rows, n, scores);
      sink.accept(scores, labels, n);
    }
  }

  /**
   * Accuracy of each model of a stack of {@code models} (model m owns classes m*K..(m+1)*K-1), in one pass: the
   * stacked scores come from one GEMM, each model's class is the argmax of its slice.
   */
  public static double[] evaluateStack(JavaSparkContext sc, JavaRDD<FeatureBlock> blocks, LinearWeights stacked,
      int models) {
    long[] counts = BroadcastAggregate.run(sc, blocks, stacked.copy(), (w, it) -> {
      long[] sum = new long[models + 1];
      while (it.hasNext()) {
        sum = add(sum, stackCounts(w, it.next(), models));
      }
      return sum;
    }, new long[models + 1], BlockEvaluator::add, 2);
    return stackAccuracy(counts, models);
  }

  /** The same on blocks held in this JVM: no Spark job. */
  public static double[] evaluateStack(List<FeatureBlock> blocks, LinearWeights stacked, int models) {
    long[] counts = new long[models + 1];
    for (FeatureBlock block : blocks) {
      counts = add(counts, stackCounts(stacked, block, models));
    }
    return stackAccuracy(counts, models);
  }

  private static double[] stackAccuracy(long[] counts, int models) {
    double[] accuracy = new double[models];
    for (int m = 0; m < models; m++) {
      accuracy[m] = counts[models] == 0 ? Double.NaN : (double) counts[m] / counts[models];
    }
    return accuracy;
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
    long[] counts = new long[models + 1];
    scoreChunks(weights, block, (scores, labels, n) -> {
      for (int r = 0; r < n; r++) {
        for (int m = 0; m < models; m++) {
          counts[m] += Vectors.argmax(scores, r * stackedClasses + m * k, k) == labels[r] ? 1 : 0;
        }
      }
      counts[models] += n;
    });
    return counts;
  }

  /** Mean target cosine and mean gap to the best wrong class (see {@code Validation#cosineDiagnostics}). */
  public static double[] cosineDiagnostics(JavaSparkContext sc, JavaRDD<FeatureBlock> blocks, LinearWeights weights) {
    double[] sums = BroadcastAggregate.run(sc, blocks, weights.copy(), (w, it) -> {
      double[] sum = new double[3];
      while (it.hasNext()) {
        sum = addSums(sum, cosineSums(w, it.next()));
      }
      return sum;
    }, new double[3], BlockEvaluator::addSums, 2);
    return cosineMeans(sums);
  }

  /** The same on blocks held in this JVM, summed in their order: no Spark job. */
  public static double[] cosineDiagnostics(List<FeatureBlock> blocks, LinearWeights weights) {
    double[] sums = new double[3];
    for (FeatureBlock block : blocks) {
      sums = addSums(sums, cosineSums(weights, block));
    }
    return cosineMeans(sums);
  }

  private static double[] cosineMeans(double[] sums) {
    return sums[2] == 0 ? null : new double[] {sums[0] / sums[2], sums[1] / sums[2]};
  }

  private static double[] addSums(double[] a, double[] b) {
    return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
  }

  /** Sum of target cosines, sum of gaps, rows. */
  static double[] cosineSums(LinearWeights weights, FeatureBlock block) {
    int k = weights.classes();
    double[] classNorm = CosineScores.classNorms(weights);
    double[] row = new double[weights.features()];
    int[] label = new int[1];
    double[] scores = new double[k];
    double[] sums = new double[3];
    for (int r = 0; r < block.rows(); r++) {
      block.copyRows(r, 1, row, label);
      BlockObjective.computeScores(weights, row, 1, scores);
      CosineScores.toCosines(scores, 1, weights, CosineScores.rowNorms(row, 1, row.length), classNorm);
      double target = scores[label[0]];
      double bestWrong = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        if (c != label[0]) {
          bestWrong = Math.max(bestWrong, scores[c]);
        }
      }
      sums[0] += target;
      sums[1] += target - bestWrong;
      sums[2]++;
    }
    return sums;
  }
}

