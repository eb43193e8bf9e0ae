package org.sparklinear.loss;

import org.sparklinear.linalg.Blas;
import org.sparklinear.linalg.CosineScores;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;

/**
 * The data term of the objective on a block of rows, in matrix form: {@code S = X W^T + b}, the loss on {@code S},
 * then {@code dW += dS^T X} and {@code db += colsum(dS)}. Two GEMMs per block, in double precision.
 *
 * <p>Sums, not means: the caller divides by the row count once all partitions are combined, and adds the
 * regularisation term there.
 */
public final class BlockObjective implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  /** Rows widened to double per GEMM: 64 x 3072 doubles (1.5 MB) stay in a core's cache; measured faster than 256. */
  public static final int CHUNK_ROWS = 64;

  private final ScoreLoss loss;

  public BlockObjective(ScoreLoss loss) {
    this.loss = loss;
  }

  public ScoreLoss loss() {
    return loss;
  }

  /** Reusable buffers for one thread; one per task keeps the hot loop free of allocation. */
  public static final class Workspace {
    final int features;
    final int classes;
    final double[] rows;
    final int[] labels;
    final double[] scores;

    public Workspace(int classes, int features) {
      this.classes = classes;
      this.features = features;
      this.rows = new double[CHUNK_ROWS * features];
      this.labels = new int[CHUNK_ROWS];
      this.scores = new double[CHUNK_ROWS * classes];
    }

    boolean fits(int classes, int features) {
      return this.classes == classes && this.features == features;
    }
  }

  private static final ThreadLocal<Workspace> WORKSPACES = new ThreadLocal<>();

  /** This thread's workspace for the given shape, allocated on first use. */
  public static Workspace workspace(int classes, int features) {
    Workspace ws = WORKSPACES.get();
    if (ws == null || !ws.fits(classes, features)) {
      ws = new Workspace(classes, features);
      WORKSPACES.set(ws);
    }
    return ws;
  }

  /**
   * Adds the loss and gradient sums of the selected rows of a block to {@code gradient} (laid out like
   * {@link LinearWeights#parameters()}) and returns their summed loss.
   *
   * @param rowOrder row indices of the block; rows {@code rowOrder[from .. from + count)} are used
   */
  public double accumulate(LinearWeights weights, FeatureBlock block, int[] rowOrder, int from, int count,
      double[] gradient) {
    checkWidth(weights, block);
    Workspace ws = workspace(weights.classes(), weights.features());
    double total = 0;
    for (int done = 0; done < count; done += CHUNK_ROWS) {
      int n = Math.min(CHUNK_ROWS, count - done);
      block.gatherRows(rowOrder, from + done, n, ws.rows, ws.labels);
      total += accumulateChunk(weights, ws, n, gradient);
    }
    return total;
  }

  /** Like {@link #accumulate(LinearWeights, FeatureBlock, int[], int, int, double[])} over every row in order. */
  public double accumulateAll(LinearWeights weights, FeatureBlock block, double[] gradient) {
    checkWidth(weights, block);
    Workspace ws = workspace(weights.classes(), weights.features());
    double total = 0;
    for (int first = 0; first < block.rows(); first += CHUNK_ROWS) {
      int n = Math.min(CHUNK_ROWS, block.rows() - first);
      block.copyRows(first, n, ws.rows, ws.labels);
      total += accumulateChunk(weights, ws, n, gradient);
    }
    return total;
  }

  private double accumulateChunk(LinearWeights weights, Workspace ws, int n, double[] gradient) {
    int k = weights.classes();
    int d = weights.features();
    computeScores(weights, ws.rows, n, ws.scores);
    if (loss.scoreSpace() == ScoreSpace.COSINE) {
      return accumulateCosineChunk(weights, ws, n, gradient);
    }
    double total = loss.lossAndScoreGradient(ws.scores, ws.labels, n, k);
    // Column-major view: gradW^T (d x k) += X^T (d x n) * dS (n x k), where dS^T is the row-major n x k scores.
    Blas.get().dgemm("N", "T", d, k, n, 1.0, ws.rows, d, ws.scores, k, 1.0, gradient, d);
    int biasOffset = weights.biasOffset();
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < k; c++) {
        gradient[biasOffset + c] += ws.scores[r * k + c];
      }
    }
    return total;
  }

  /**
   * A cosine loss: {@code cos_rj = w_j . x_r / (|x_r| |w_j|)} (the bias takes no part and gets no gradient), and back
   * through both norms: {@code dW_j += sum_r g_rj x_r / (|x_r| |w_j|) - (sum_r g_rj cos_rj) w_j / |w_j|^2}.
   */
  private double accumulateCosineChunk(LinearWeights weights, Workspace ws, int n, double[] gradient) {
    int k = weights.classes();
    int d = weights.features();
    double[] w = weights.parameters();
    double[] classNorm = CosineScores.classNorms(weights);
    double[] rowNorm = CosineScores.rowNorms(ws.rows, n, d);
    CosineScores.toCosines(ws.scores, n, weights, rowNorm, classNorm);
    double[] cosines = java.util.Arrays.copyOf(ws.scores, n * k);
    double total = loss.lossAndScoreGradient(ws.scores, ws.labels, n, k); // ws.scores: dLoss/dcos
    double[] alongW = new double[k];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < k; c++) {
        double g = ws.scores[r * k + c];
        alongW[c] += g * cosines[r * k + c];
        ws.scores[r * k + c] = g / (rowNorm[r] * classNorm[c]);
      }
    }
    Blas.get().dgemm("N", "T", d, k, n, 1.0, ws.rows, d, ws.scores, k, 1.0, gradient, d);
    for (int c = 0; c < k; c++) {
      double factor = alongW[c] / (classNorm[c] * classNorm[c]);
      for (int i = c * d, end = i + d; i < end; i++) {
        gradient[i] -= factor * w[i];
      }
    }
    return total;
  }

  private static void checkWidth(LinearWeights weights, FeatureBlock block) {
    if (block.rows() > 0 && block.features() != weights.features()) {
      throw new IllegalArgumentException("rows of " + block.features() + " features cannot meet weights of "
          + weights.features());
    }
  }

  /** Row-major {@code n x K} scores of row-major {@code n x D} rows. */
  public static void computeScores(LinearWeights weights, double[] rows, int n, double[] scores) {
    int k = weights.classes();
    int d = weights.features();
    // Column-major view: S^T (k x n) = W (k x d, i.e. the transpose of column-major W^T) * X^T (d x n).
    Blas.get().dgemm("T", "N", k, n, d, 1.0, weights.parameters(), d, rows, d, 0.0, scores, k);
    int biasOffset = weights.biasOffset();
    double[] p = weights.parameters();
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < k; c++) {
        scores[r * k + c] += p[biasOffset + c];
      }
    }
  }
}
