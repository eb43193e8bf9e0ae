package org.sparklinear.loss;

/**
 * Several models of K classes trained as one of M x K "classes": each model's K scores (a contiguous slice of the
 * row) go through the base loss with the row's label, independently of the others. Stacking the weight matrices lets
 * one GEMM, one broadcast and one aggregation serve every model of a sweep.
 */
public final class StackedLoss implements ScoreLoss {
  private static final long serialVersionUID = 1L;
  private final ScoreLoss base;
  private final int models;

  public StackedLoss(ScoreLoss base, int models) {
    if (models < 1) {
      throw new IllegalArgumentException("a stack needs at least one model, got " + models);
    }
    this.base = base;
    this.models = models;
  }

  @Override
  public double lossAndScoreGradient(double[] scores, int[] labels, int n, int stackedClasses) {
    int classes = stackedClasses / models;
    double[] slice = new double[n * classes];
    double total = 0;
    for (int m = 0; m < models; m++) {
      for (int r = 0; r < n; r++) {
        System.arraycopy(scores, r * stackedClasses + m * classes, slice, r * classes, classes);
      }
      total += base.lossAndScoreGradient(slice, labels, n, classes);
      for (int r = 0; r < n; r++) {
        System.arraycopy(slice, r * classes, scores, r * stackedClasses + m * classes, classes);
      }
    }
    return total;
  }

  /** The base loss's: a stack of AM-softmax models is trained on cosines like one of them alone. */
  @Override
  public ScoreSpace scoreSpace() {
    return base.scoreSpace();
  }

  @Override
  public double expectedInitialLoss(int stackedClasses) {
    return models * base.expectedInitialLoss(stackedClasses / models);
  }

  @Override
  public String toString() {
    return models + " x " + base;
  }
}
