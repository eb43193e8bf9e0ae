package org.sparklinear.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;
import org.sparklinear.data.DatasetReader;
import org.sparklinear.data.ImageDataset;
import org.sparklinear.data.ReadOptions;
import org.sparklinear.loss.LossKind;
import org.sparklinear.optim.IterateAveraging;
import org.sparklinear.optim.OptimizerKind;

/**
 * Steps on the driver ({@code --step-mode driver}) train the same model as one Spark job per step, to the last bit:
 * every loss and optimiser, with schedules, validation, early stopping, checkpoints and a resume across modes.
 */
class StepModeTest {
  private static JavaSparkContext sc;
  private static TrainingData data;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    sc = TestSupport.localSpark(2);
    ImageDataset images = new DatasetReader(sc).read(TestSupport.samples().resolve("cifar").toString(),
        new ReadOptions(null, 2, null, 3, false, 40_000_000L, null));
    data = TrainingData.prepare(sc, images, new ValidationSplit(42, 0.2), org.sparklinear.preprocess.Scaling.UNIT,
        null);
  }

  @AfterAll
  static void stop() {
    data.close();
    sc.stop();
  }

  private static TrainingConfig.Builder base() {
    return TrainingConfig.builder().epochs(2).batchSize(32).logEvery(1000).validationFraction(0.2);
  }

  private static TrainingResult train(TrainingConfig.Builder config, StepMode mode) {
    return new Trainer(config.stepMode(mode).build()).train(sc, data);
  }

  private static void assertSameRun(TrainingConfig.Builder config, String what) {
    TrainingResult jobs = train(config, StepMode.JOBS);
    TrainingResult driver = train(config, StepMode.DRIVER);
    assertArrayEquals(jobs.weights().parameters(), driver.weights().parameters(), what + ": weights");
    assertEquals(jobs.steps(), driver.steps(), what + ": steps");
    assertEquals(jobs.epochs().stream().map(EpochRecord::trainLoss).toList(),
        driver.epochs().stream().map(EpochRecord::trainLoss).toList(), what + ": losses");
    assertEquals(jobs.validationAccuracy(), driver.validationAccuracy(), what + ": validation accuracy");
  }

  @Test
  void everyLossGivesTheSameModelInBothModes() {
    for (LossKind loss : LossKind.values()) {
      assertSameRun(base().loss(loss).learningRateDecay("step:0.5:1"), loss.cliName());
    }
  }

  @Test
  void everyOptimiserAndPenaltyGivesTheSameModelInBothModes() {
    for (OptimizerKind optimizer : OptimizerKind.values()) {
      assertSameRun(base().optimizer(optimizer).autoLearningRate().l1(1e-4), optimizer.cliName());
    }
    assertSameRun(base().momentum(0.9).nesterov(false).learningRateDecay("exponential:0.7"), "standard momentum");
    assertSameRun(base().momentum(0).learningRateDecay("constant"), "plain sgd");
  }

  @Test
  void earlyStoppingAndMaxStepsAgree() {
    TrainingConfig.Builder patient = base().epochs(6).patience(1).learningRate(0.5);
    assertSameRun(patient, "patience");
    assertSameRun(base().maxSteps(10), "max steps");
  }

  @Test
  void iterateAveragingGivesTheSameModelInBothModes() {
    // patience judges the average: the kept weights are the best epoch's average in both modes
    assertSameRun(base().loss(LossKind.HINGE).epochs(4).patience(1).learningRate(0.5)
        .average(new IterateAveraging(0.75)), "averaging with patience");
  }

  @Test
  void aRunCheckpointedWithJobsResumesOnTheDriverToTheSameModel() throws Exception {
    TrainingConfig.Builder config = base().loss(LossKind.HINGE);
    TrainingResult undisturbed = train(config, StepMode.JOBS);
    CheckpointStore store = new CheckpointStore(tmp.resolve("ckpt").toString(), new Configuration());
    // the first run stops after 7 steps (max-steps does not change the trajectory), leaving checkpoints
    new Trainer(config.maxSteps(7).stepMode(StepMode.JOBS).build()).withCheckpoints(store, 3, data.fingerprint())
        .train(sc, data);
    assertTrue(store.latest().globalStep() >= 6, "a checkpoint was written");
    TrainingResult resumed = new Trainer(config.maxSteps(0).stepMode(StepMode.DRIVER).build())
        .withCheckpoints(store, 3, data.fingerprint()).train(sc, data);
    assertArrayEquals(undisturbed.weights().parameters(), resumed.weights().parameters());
  }

  @Test
  void localStepsGiveTheSameModelInBothModes() {
    assertSameRun(base().localSteps(4).momentum(0.9).l1(1e-4).learningRateDecay("step:0.5:1"), "4 local steps");
    assertSameRun(base().localSteps(3).momentum(0.5).nesterov(false), "3 local steps, standard momentum");
  }

  @Test
  void aRunOfLocalStepsResumesFromItsCheckpointsToTheSameModel() throws Exception {
    TrainingConfig.Builder config = base().localSteps(4).momentum(0.9);
    TrainingResult undisturbed = train(config, StepMode.DRIVER);
    CheckpointStore store = new CheckpointStore(tmp.resolve("ckpt-local").toString(), new Configuration());
    // stopped inside a round's worth of steps: only checkpoints at rounds' boundaries may be resumed from
    int stepsPerEpoch = new MinibatchPlan(0, data.trainRows(), 32).stepsPerEpoch();
    new Trainer(config.maxSteps(stepsPerEpoch + 2).stepMode(StepMode.JOBS).build())
        .withCheckpoints(store, 4, data.fingerprint()).train(sc, data);
    assertEquals(stepsPerEpoch, store.latest().globalStep(), "the newest checkpoint is the epoch's end");
    TrainingResult resumed = new Trainer(config.maxSteps(0).stepMode(StepMode.DRIVER).build())
        .withCheckpoints(store, 4, data.fingerprint()).train(sc, data);
    assertArrayEquals(undisturbed.weights().parameters(), resumed.weights().parameters());

    // stopped inside the first epoch by a round cut short at step 6 (rounds end at 4, then 6), a checkpoint due at
    // every 3rd step: the one due at 6 is not written, since resuming there would shift the rounds
    assertTrue(stepsPerEpoch > 6, "the first epoch holds the cut round: " + stepsPerEpoch);
    CheckpointStore cut = new CheckpointStore(tmp.resolve("ckpt-cut").toString(), new Configuration());
    new Trainer(config.maxSteps(6).stepMode(StepMode.DRIVER).build()).withCheckpoints(cut, 3, data.fingerprint())
        .train(sc, data);
    assertEquals(4, cut.latest().globalStep(), "the newest checkpoint is at the round's boundary");
    TrainingResult fromCut = new Trainer(config.maxSteps(0).stepMode(StepMode.DRIVER).build())
        .withCheckpoints(cut, 3, data.fingerprint()).train(sc, data);
    assertArrayEquals(undisturbed.weights().parameters(), fromCut.weights().parameters());
  }

  @Test
  void autoUsesTheDriverForLocalOrSmallDataThatFitsItsHeap() {
    long heap = 4L << 30;
    assertEquals(StepMode.DRIVER, Trainer.chooseStepMode(StepMode.AUTO, "local[2]", 600L << 20, heap));
    assertEquals(StepMode.JOBS, Trainer.chooseStepMode(StepMode.AUTO, "local[2]", 2L << 30, heap), "beyond a quarter");
    assertEquals(StepMode.DRIVER, Trainer.chooseStepMode(StepMode.AUTO, "spark://m:7077", 100L << 20, heap));
    assertEquals(StepMode.JOBS, Trainer.chooseStepMode(StepMode.AUTO, "spark://m:7077", 600L << 20, heap),
        "large data on a cluster stays on the executors");
    assertEquals(StepMode.JOBS, Trainer.chooseStepMode(StepMode.JOBS, "local[2]", 1, heap), "asked for");
    assertEquals(StepMode.DRIVER, Trainer.chooseStepMode(StepMode.DRIVER, "yarn", 1L << 40, heap), "asked for");
  }
}
