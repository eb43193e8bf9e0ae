package org.sparklinear.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.sparklinear.TestSupport;
import org.sparklinear.data.ReadOptions;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.loss.LossKind;
import org.sparklinear.loss.Regularization;
import org.sparklinear.optim.Momentum;
import org.sparklinear.optim.Optimizer;
import org.sparklinear.optim.SgdOptimizer;
import org.sparklinear.pipeline.PreparedData;
import org.sparklinear.pipeline.TrainingPipeline;

/**
 * {@code --local-steps H}: a round is H steps of the training's optimizer per partition from the shared model and
 * optimizer state, both averaged; one step is the exact step; and on CIFAR-10 local steps reach the exact mode's
 * accuracy within half a point.
 */
class LocalStepsTest {
  private static final int CLASSES = 3;
  private static final int FEATURES = 5;

  private static FeatureBlock block(int partition, int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[rows * FEATURES];
    int[] labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      labels[r] = random.nextInt(CLASSES);
      for (int f = 0; f < FEATURES; f++) {
        values[r * FEATURES + f] = (float) (random.nextDouble() - 0.5 + (f == labels[r] ? 1 : 0));
      }
    }
    return new FeatureBlock(partition, rows, FEATURES, values, labels);
  }

  /**
   * The round written out by hand: each block's own trajectory of the training's optimizer (Nesterov momentum here,
   * continued from a velocity the driver held), then the row-weighted mean move and mean velocity.
   */
  @Test
  void aRoundIsEachPartitionsOwnOptimizerStepsAveraged() {
    List<FeatureBlock> blocks = List.of(block(0, 40, 1), block(1, 36, 2));
    BlockObjective objective = new BlockObjective(LossKind.SOFTMAX.create(1, 30, 0.35));
    Regularization penalty = Regularization.of(0.01, 0.001);
    MinibatchPlan plan = new MinibatchPlan(7, 76, 8);
    LinearWeights shared = Trainer.initialWeights(CLASSES, FEATURES, 0.1, 3);
    int n = shared.parameters().length;
    Optimizer rule = new SgdOptimizer(Momentum.NESTEROV, 0.9);
    double[] velocity = new double[n];
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < n; i++) {
      velocity[i] = 0.01 * (random.nextDouble() - 0.5);
    }
    double lr = 0.3;
    int first = 2;
    int steps = 3;

    double[] expected = new double[2 * n];
    double expectedLoss = 0;
    long expectedRows = 0;
    for (FeatureBlock b : blocks) {
      LinearWeights w = shared.copy();
      SgdOptimizer own = new SgdOptimizer(Momentum.NESTEROV, 0.9);
      own.restoreState(velocity);
      int[] order = plan.order(1, b.partitionIndex(), b.rows());
      long firstRows = plan.sliceEnd(b.rows(), first) - plan.sliceStart(b.rows(), first);
      for (int h = 0; h < steps; h++) {
        int from = plan.sliceStart(b.rows(), first + h);
        int count = plan.sliceEnd(b.rows(), first + h) - from;
        double[] g = new double[n];
        double loss = objective.accumulate(w, b, order, from, count, g);
        for (int i = 0; i < n; i++) {
          g[i] /= count;
        }
        penalty.addTo(w, g);
        if (h == 0) {
          expectedLoss += loss;
        }
        own.step(w.parameters(), g, lr);
      }
      double[] finalVelocity = own.state(n);
      for (int i = 0; i < n; i++) {
        expected[i] += (w.parameters()[i] - shared.parameters()[i]) * firstRows;
        expected[n + i] += finalVelocity[i] * firstRows;
      }
      expectedRows += firstRows;
    }
    double[] given = velocity.clone();
    try (LocalObjective local = new LocalObjective(blocks, objective, 2)) {
      ReproducibleSum round = local.localRound(new RoundStart(shared, velocity), rule, plan, 1, first, steps, lr,
          penalty);
      assertEquals(expectedRows, round.count());
      assertEquals(expectedLoss, round.loss(), 1e-8);
      double[] got = round.gradient(2 * n);
      for (int i = 0; i < 2 * n; i++) {
        assertEquals(expected[i], got[i], 1e-8, "entry " + i);
      }
      assertArrayEquals(given, velocity, "the blocks continue from copies of the driver's state");

      // one local step is the exact step: the optimizer's update with the slices' mean gradient plus the penalty's
      ReproducibleSum one = local.localRound(new RoundStart(shared, velocity), rule, plan, 1, first, 1, lr, penalty);
      ReproducibleSum exact = local.minibatch(shared, plan, 1, first);
      double[] exactMean = exact.gradient(n);
      for (int i = 0; i < n; i++) {
        exactMean[i] /= exact.count();
      }
      penalty.addTo(shared, exactMean);
      LinearWeights stepped = shared.copy();
      SgdOptimizer exactOptimizer = new SgdOptimizer(Momentum.NESTEROV, 0.9);
      exactOptimizer.restoreState(velocity);
      exactOptimizer.step(stepped.parameters(), exactMean, lr);
      double[] exactVelocity = exactOptimizer.state(n);
      double[] oneMean = one.gradient(2 * n);
      for (int i = 0; i < n; i++) {
        assertEquals(stepped.parameters()[i] - shared.parameters()[i], oneMean[i] / one.count(), 1e-8,
            "one local step's move, entry " + i);
        assertEquals(exactVelocity[i], oneMean[n + i] / one.count(), 1e-8, "one local step's velocity, entry " + i);
      }
    }
  }

  @Test
  void aSweepAndTheAdaptiveOptimizersRefuseLocalSteps() {
    TrainingConfig config = TrainingConfig.builder().localSteps(4).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ModelStack(10, new double[] {0.1, 0.2}, new double[] {0, 0}).problem(config));
    assertTrue(e.getMessage().contains("--local-steps"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().set("local-steps", "0").build());
    IllegalArgumentException adam = assertThrows(IllegalArgumentException.class,
        () -> TrainingConfig.builder().set("local-steps", "4").set("optimizer", "adam").build());
    assertTrue(adam.getMessage().contains("--optimizer sgd") && adam.getMessage().contains("got --optimizer adam"),
        adam.getMessage());
  }

  private static double best(TrainingResult r) {
    return r.epochs().stream().mapToDouble(EpochRecord::validationAccuracy).max().orElse(Double.NaN);
  }

  /** The acceptance: local steps on the real data reach the exact mode's accuracy within half a point. */
  @Test
  void onCifar10LocalStepsReachTheExactModesAccuracy() throws Exception {
    String cifar = TestSupport.requireCifar10("local steps against the exact mode on CIFAR-10").toString();
    JavaSparkContext sc = TestSupport.localSpark(2);
    try {
      TrainingConfig exact = TrainingConfig.builder().build();
      try (PreparedData read = new TrainingPipeline(sc, exact).read(cifar, new ReadOptions(null, 2, null, 3, false,
          40_000_000L, null))) {
        TrainingResult one = new Trainer(exact).train(sc, read.data());
        TrainingResult local = new Trainer(exact.toBuilder().localSteps(8).build()).train(sc, read.data());
        // the accuracy each run reached (the best epoch, what --patience keeps): the last epoch's alone moves by
        // half a point from epoch to epoch in either mode
        double exactBest = best(one);
        double localBest = best(local);
        System.err.printf("CIFAR-10 validation accuracy: exact best %.4f last %.4f; 8 local steps best %.4f last"
            + " %.4f%n", exactBest, one.validationAccuracy(), localBest, local.validationAccuracy());
        assertTrue(localBest >= exactBest - 0.005, "8 local steps reached " + localBest
            + " against the exact mode's " + exactBest);
        assertTrue(exactBest > 0.40, "the exact mode trained: " + exactBest);
      }
    } finally {
      sc.stop();
    }
  }
}
