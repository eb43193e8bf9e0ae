package org.sparklinear.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparklinear.TestSupport;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.loss.L2Regularization;
import org.sparklinear.loss.ScoreLoss;
import org.sparklinear.loss.SoftmaxLoss;
import org.sparklinear.optim.Momentum;
import org.sparklinear.optim.SgdOptimizer;

/** One distributed step (real Spark, local mode, 3 partitions) equals the same step computed in plain Java. */
class DistributedStepTest {
  private static JavaSparkContext sc;
  private static List<FeatureBlock> blocks;
  private static JavaRDD<FeatureBlock> rdd;

  @BeforeAll
  static void start() {
    sc = TestSupport.localSpark(2);
    SplittableRandom random = new SplittableRandom(11);
    blocks = new ArrayList<>();
    int[] sizes = {140, 95, 170};
    for (int p = 0; p < sizes.length; p++) {
      blocks.add(TestSupport.randomBlock(p, sizes[p], 20, 5, random));
    }
    rdd = sc.parallelize(blocks, blocks.size()).cache();
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  @Test
  void distributedMinibatchStepEqualsTheSingleMachineStep() {
    LinearWeights w = Trainer.initialWeights(5, 20, 0.1, 3);
    ScoreLoss loss = new SoftmaxLoss();
    MinibatchPlan plan = new MinibatchPlan(9, 405, 64);
    int epoch = 1;
    int step = 4;
    ReproducibleSum sum = new DistributedObjective(sc, rdd, 405, new BlockObjective(loss), 2)
        .minibatch(w, plan, epoch, step);

    // The same rows, scored one at a time with plain loops: no BLAS, no Spark.
    double[] gradient = new double[w.parameters().length];
    double lossSum = 0;
    long count = 0;
    for (FeatureBlock b : blocks) {
      int[] order = MinibatchPlan.permutation(9, epoch, b.partitionIndex(), b.rows());
      for (int i = plan.sliceStart(b.rows(), step); i < plan.sliceEnd(b.rows(), step); i++) {
        int row = order[i];
        double[] x = b.row(row);
        double[] s = w.scores(x);
        lossSum += loss.lossAndScoreGradient(s, new int[] {b.label(row)}, 1, 5);
        for (int k = 0; k < 5; k++) {
          for (int f = 0; f < 20; f++) {
            gradient[k * 20 + f] += s[k] * x[f];
          }
          gradient[w.biasOffset() + k] += s[k];
        }
        count++;
      }
    }
    assertEquals(count, sum.count());
    assertEquals(lossSum, sum.loss(), 1e-8);
    assertArrayEquals(gradient, sum.gradient(gradient.length), 1e-8);

    // and the update the driver makes from it
    double[] expected = w.parameters().clone();
    double[] meanGradient = gradient.clone();
    for (int i = 0; i < meanGradient.length; i++) {
      meanGradient[i] /= count;
    }
    new L2Regularization(0.01).addTo(w, meanGradient);
    new SgdOptimizer(Momentum.NONE, 0).step(expected, meanGradient, 0.5);
    double[] actual = w.parameters().clone();
    double[] distributedGradient = sum.gradient(actual.length);
    for (int i = 0; i < distributedGradient.length; i++) {
      distributedGradient[i] /= sum.count();
    }
    new L2Regularization(0.01).addTo(w, distributedGradient);
    new SgdOptimizer(Momentum.NONE, 0).step(actual, distributedGradient, 0.5);
    assertArrayEquals(expected, actual, 1e-9);
  }

  @Test
  void wholeTrainingRunOnSparkEqualsTheRunInOneJvmToTheLastBit() {
    TrainingConfig config = TrainingConfig.builder().loss(org.sparklinear.loss.LossKind.HINGE).hingeDelta(1.0).epochs(3).maxSteps(0).batchSize(50)
        .learningRate(0.01).learningRateDecay("step:0.5:1").regularization(0.001).momentum(0.9).nesterov(true).seed(5)
        .validationFraction(0).partitions(0).treeDepth(0).patience(0).initScale(0.01).scaling(org.sparklinear.preprocess.Scaling.UNIT).logEvery(1000).build();
    Validation none = Validation.NONE;
    LinearWeights start = Trainer.initialWeights(5, 20, 0.01, 5);
    BlockObjective objective = new BlockObjective(config.createLoss());
    TrainingResult spark = new Trainer(config).train(new DistributedObjective(sc, rdd, 405, objective, 0), none,
        start);
    TrainingResult local;
    try (LocalObjective jvm = new LocalObjective(blocks, objective, 2)) {
      local = new Trainer(config).train(jvm, none, start);
    }
    assertEquals(27, spark.steps()); // 3 epochs of ceil(405 / 50)
    assertArrayEquals(local.weights().parameters(), spark.weights().parameters(), 0.0);
    assertEquals(local.initialLoss(), spark.initialLoss(), 0.0);
  }

  @Test
  void treeDepthDoesNotChangeTheResultByABit() {
    LinearWeights w = Trainer.initialWeights(5, 20, 0.1, 4);
    BlockObjective objective = new BlockObjective(new SoftmaxLoss());
    ReproducibleSum flat = new DistributedObjective(sc, rdd, 405, objective, 1).fullPass(w);
    ReproducibleSum tree = new DistributedObjective(sc, rdd, 405, objective, 3).fullPass(w);
    assertEquals(405, flat.count());
    assertEquals(flat.loss(), tree.loss(), 0.0);
    assertArrayEquals(flat.gradient(w.parameters().length), tree.gradient(w.parameters().length), 0.0);
  }
}
