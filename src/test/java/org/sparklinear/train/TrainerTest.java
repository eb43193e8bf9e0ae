package org.sparklinear.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparklinear.TestSupport;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.loss.LossKind;
import org.sparklinear.optim.IterateAveraging;
import org.sparklinear.preprocess.Scaling;

/** Stopping rules of the loop: epochs, max steps, and early stopping on validation accuracy with patience. */
class TrainerTest {

  private static TrainingConfig config(int epochs, long maxSteps, int patience) {
    return TrainingConfig.builder().loss(LossKind.SOFTMAX).hingeDelta(1.0).epochs(epochs).maxSteps(maxSteps).batchSize(50)
        .learningRate(0.05).learningRateDecay("constant").regularization(0.001).momentum(0.9).nesterov(false).seed(1)
        .validationFraction(0.1).partitions(0).treeDepth(0).patience(patience).initScale(0.01).scaling(Scaling.UNIT).logEvery(1000).build();
  }

  private static List<FeatureBlock> blocks() {
    SplittableRandom r = new SplittableRandom(8);
    return List.of(TestSupport.randomBlock(0, 100, 6, 3, r), TestSupport.randomBlock(1, 100, 6, 3, r));
  }

  /** Scripted accuracies per epoch, and a copy of the weights each epoch ended with. */
  private static final class ScriptedValidation implements Validation {
    private final double[] script;
    final List<double[]> weightsSeen = new ArrayList<>();

    ScriptedValidation(double... script) {
      this.script = script;
    }

    @Override
    public long rows() {
      return 100_000; // a split large enough that its accuracies are not noise: the best epoch is kept
    }

    @Override
    public double accuracy(LinearWeights w) {
      weightsSeen.add(w.parameters().clone());
      return script[Math.min(weightsSeen.size() - 1, script.length - 1)];
    }
  }

  private static TrainingResult train(TrainingConfig config, Validation validation) {
    return train(config, validation, TrainingListener.NONE);
  }

  private static TrainingResult train(TrainingConfig config, Validation validation, TrainingListener listener) {
    try (LocalObjective objective = new LocalObjective(blocks(), new BlockObjective(config.createLoss()), 2)) {
      return new Trainer(config, listener).train(objective, validation, Trainer.initialWeights(3, 6, 0.01, 1));
    }
  }

  /** Records the weights after every step. */
  private static final class Iterates implements TrainingListener {
    final List<double[]> after = new ArrayList<>();

    @Override
    public void afterStep(long step, int epoch, double loss, long examples, LinearWeights weights) {
      after.add(weights.parameters().clone());
    }

    /** The mean of the iterates after steps {@code from} to {@code to} (1-based, inclusive). */
    double[] mean(int from, int to) {
      double[] mean = new double[after.get(0).length];
      for (double[] w : after.subList(from - 1, to)) {
        for (int i = 0; i < mean.length; i++) {
          mean[i] += w[i] / (to - from + 1);
        }
      }
      return mean;
    }
  }

  @Test
  void averagingKeepsTheMeanOfTheTailsIteratesAndValidationJudgesIt() {
    // 3 epochs of 4 steps, the last half averaged: steps 7 to 12
    TrainingConfig config = config(3, 0, 0).toBuilder().average(new IterateAveraging(0.5)).build();
    Iterates iterates = new Iterates();
    ScriptedValidation validation = new ScriptedValidation(0.5);
    TrainingResult result = train(config, validation, iterates);
    assertEquals(12, iterates.after.size());
    assertArrayEquals(iterates.mean(7, 12), result.weights().parameters(), 1e-12);
    assertFalse(java.util.Arrays.equals(iterates.after.get(11), result.weights().parameters()), "not the last step");
    // each epoch's validation saw what the run would have kept then: the iterate before averaging began, the mean after
    assertArrayEquals(iterates.after.get(3), validation.weightsSeen.get(0), 0.0);
    assertArrayEquals(iterates.mean(7, 8), validation.weightsSeen.get(1), 1e-12);
    assertArrayEquals(result.weights().parameters(), validation.weightsSeen.get(2), 0.0);
  }

  @Test
  void earlyStoppingKeepsTheBestEpochsAverageNotItsIterate() {
    TrainingConfig config = config(10, 0, 2).toBuilder().average(new IterateAveraging(1)).build();
    Iterates iterates = new Iterates();
    ScriptedValidation validation = new ScriptedValidation(0.3, 0.5, 0.4, 0.45);
    TrainingResult result = train(config, validation, iterates);
    assertTrue(result.stoppedEarly());
    assertArrayEquals(validation.weightsSeen.get(1), result.weights().parameters(), 0.0);
    assertArrayEquals(iterates.mean(1, 8), result.weights().parameters(), 1e-12); // the mean of epochs 1 and 2
  }

  @Test
  void earlyStoppingKeepsTheBestEpochAfterPatienceRunsOut() {
    ScriptedValidation validation = new ScriptedValidation(0.3, 0.5, 0.4, 0.45, 0.9);
    TrainingResult result = train(config(10, 0, 2), validation);
    assertTrue(result.stoppedEarly());
    assertEquals(4, result.epochs().size()); // epochs 3 and 4 did not beat epoch 2
    assertEquals(0.5, result.validationAccuracy());
    assertArrayEquals(validation.weightsSeen.get(1), result.weights().parameters(), 0.0);
    assertEquals(16, result.steps()); // 4 epochs of 4 steps (200 rows, batch 50)
  }

  @Test
  void theBestEpochIsKeptOnlyWhenItBeatsTheLastByMoreThanTheSplitsNoise() {
    EarlyStopping stopping = new EarlyStopping(2, 918); // CIFAR-10's validation split: one standard error is 0.016
    LinearWeights epoch1 = Trainer.initialWeights(3, 6, 0.01, 1);
    LinearWeights epoch2 = Trainer.initialWeights(3, 6, 0.01, 2);
    stopping.afterEpoch(0, 0.4586, epoch1);
    stopping.afterEpoch(1, 0.4564, epoch2);
    assertSame(epoch2, stopping.choose(epoch2, 0.4564)); // 2 rows better: noise
    assertArrayEquals(epoch1.parameters(), stopping.choose(epoch2, 0.42).parameters(), 0.0); // 3.9 points: kept
  }

  @Test
  void withoutPatienceAllEpochsRunAndMaxStepsCapsThem() {
    TrainingResult all = train(config(3, 0, 0), new ScriptedValidation(0.5, 0.4, 0.3));
    assertFalse(all.stoppedEarly());
    assertEquals(3, all.epochs().size());
    assertEquals(0.3, all.validationAccuracy()); // the last epoch's weights, not the best, without patience
    TrainingResult capped = train(config(3, 6, 0), Validation.NONE);
    assertEquals(6, capped.steps());
    assertEquals(2, capped.epochs().size());
  }
}
