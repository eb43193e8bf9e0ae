package org.sparklinear.loss;

import java.util.SplittableRandom;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;

/**
 * The analytic gradient of the objective (mean loss over a block plus the penalty) against centred differences
 * {@code (f(x + h) - f(x - h)) / 2h}, as the lecture notes advise before trusting a loss. Reports the worst
 * relative error {@code |a - n| / max(|a|, |n|)} in each parameter block ({@code W} and {@code b}); a difference
 * within the rounding error of the two evaluations ({@code 4 ulp(f) / h}) counts as none, since a gradient that is
 * exactly 0 would otherwise show a relative error of 1.
 */
public final class GradientCheck {
  /** Below this, a relative error counts as agreement (double precision, h = 1e-5, smooth regions). */
  public static final double GOOD = 1e-6;

  private GradientCheck() {}

  /** Worst relative error and where it occurred, for one parameter block. */
  public record BlockResult(String block, int checked, double worstRelativeError, int worstIndex, double analytic,
      double numeric) {}

  public record Result(BlockResult weights, BlockResult biases) {
    public double worst() {
      return Math.max(weights.worstRelativeError(), biases.worstRelativeError());
    }
  }

  /**
   * @param maxChecksPerBlock how many parameters of each block to check (all when the block is smaller), chosen at
   *     random from {@code seed}
   */
  public static Result check(BlockObjective objective, Regularization penalty, LinearWeights weights,
      FeatureBlock block, int maxChecksPerBlock, double step, long seed) {
    double[] analytic = new double[weights.parameters().length];
    objective.accumulateAll(weights, block, analytic);
    for (int i = 0; i < analytic.length; i++) {
      analytic[i] /= block.rows();
    }
    penalty.addTo(weights, analytic);
    SplittableRandom random = new SplittableRandom(seed);
    int biasOffset = weights.biasOffset();
    double noise = 4 * Math.ulp(Math.max(1, Math.abs(value(objective, penalty, weights, block)))) / step;
    return new Result(
        checkBlock("W", 0, biasOffset, objective, penalty, weights, block, analytic, maxChecksPerBlock, step, noise,
            random),
        checkBlock("b", biasOffset, analytic.length, objective, penalty, weights, block, analytic, maxChecksPerBlock,
            step, noise, random));
  }

  private static BlockResult checkBlock(String name, int from, int to, BlockObjective objective,
      Regularization penalty, LinearWeights weights, FeatureBlock block, double[] analytic, int maxChecks,
      double step, double noise, SplittableRandom random) {
    int size = to - from;
    int checks = Math.min(size, maxChecks);
    double worst = 0;
    int worstIndex = -1;
    double worstNumeric = 0;
    double[] p = weights.parameters();
    for (int c = 0; c < checks; c++) {
      int i = checks == size ? from + c : from + random.nextInt(size);
      double saved = p[i];
      p[i] = saved + step;
      double plus = value(objective, penalty, weights, block);
      p[i] = saved - step;
      double minus = value(objective, penalty, weights, block);
      p[i] = saved;
      double numeric = (plus - minus) / (2 * step);
      double difference = Math.abs(numeric - analytic[i]);
      double magnitude = Math.max(Math.abs(numeric), Math.abs(analytic[i]));
      // tiny entries (a gradient of exactly 0, say) are compared with the rounding error, not relatively
      double relative = magnitude > noise / GOOD || difference > noise ? difference / magnitude : 0;
      if (relative >= worst) {
        worst = relative;
        worstIndex = i;
        worstNumeric = numeric;
      }
    }
    return new BlockResult(name, checks, worst, worstIndex, worstIndex < 0 ? 0 : analytic[worstIndex], worstNumeric);
  }

  private static double value(BlockObjective objective, Regularization penalty, LinearWeights weights,
      FeatureBlock block) {
    double[] scratch = new double[weights.parameters().length];
    double data = objective.accumulateAll(weights, block, scratch) / block.rows();
    return data + penalty.addTo(weights, scratch);
  }
}
