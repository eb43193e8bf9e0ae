package org.sparklinear.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.BadInputException;
import org.sparklinear.TestSupport;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.loss.LossKind;
import org.sparklinear.optim.IterateAveraging;
import org.sparklinear.preprocess.Scaling;

/** A run killed part-way resumes from its checkpoint to the same model; a diverged run leaves the last good one. */
class CheckpointTest {
  @TempDir Path tmp;

  private static TrainingConfig config(LossKind loss, double lr) {
    return TrainingConfig.builder().loss(loss).hingeDelta(1.0).epochs(4).maxSteps(0).batchSize(40)
        .learningRate(lr).learningRateDecay("step:0.5:2").regularization(0.001).momentum(0.9).nesterov(true).seed(3)
        .validationFraction(0).partitions(0).treeDepth(0).patience(0).initScale(0.01).scaling(Scaling.UNIT).logEvery(1000).build();
  }

  private static List<FeatureBlock> blocks() {
    SplittableRandom r = new SplittableRandom(5);
    List<FeatureBlock> blocks = new ArrayList<>();
    blocks.add(TestSupport.randomBlock(0, 130, 12, 4, r));
    blocks.add(TestSupport.randomBlock(1, 110, 12, 4, r));
    return blocks;
  }

  private static TrainingResult run(TrainingConfig config, CheckpointStore store, TrainingListener listener) {
    LinearWeights start = Trainer.initialWeights(4, 12, config.initScale(), config.seed());
    try (LocalObjective objective = new LocalObjective(blocks(), new BlockObjective(config.createLoss()), 2)) {
      Trainer trainer = new Trainer(config, listener);
      if (store != null) {
        trainer.withCheckpoints(store, 5, "rows=[130, 110]");
      }
      return trainer.train(objective, Validation.NONE, start);
    }
  }

  /** A driver that dies after {@code last} steps. */
  private static TrainingListener killedAfter(long last) {
    return new TrainingListener() {
      @Override
      public void afterStep(long step, int epoch, double loss, long examples, LinearWeights weights) {
        if (step == last) {
          throw new RuntimeException("killed");
        }
      }
    };
  }

  @Test
  void killedRunResumesToTheSameModelToTheLastBit() throws IOException {
    TrainingConfig config = config(LossKind.SOFTMAX, 0.05);
    TrainingResult undisturbed = run(config, null, TrainingListener.NONE);
    assertEquals(24, undisturbed.steps()); // 4 epochs of ceil(240 / 40)

    CheckpointStore store = new CheckpointStore(tmp.resolve("ckpt").toString(), new Configuration());
    RuntimeException crash = assertThrows(RuntimeException.class, () -> run(config, store, new TrainingListener() {
      @Override
      public void afterStep(long step, int epoch, double loss, long examples, LinearWeights weights) {
        if (step == 13) {
          throw new RuntimeException("driver killed");
        }
      }
    }));
    assertEquals("driver killed", crash.getMessage());
    Checkpoint saved = store.latest();
    assertEquals(12, saved.globalStep()); // the end of epoch 2 (6 steps per epoch)
    assertEquals(2, saved.epoch());
    assertEquals(0, saved.stepInEpoch());

    TrainingResult resumed = run(config, store, TrainingListener.NONE);
    assertEquals(24, resumed.steps());
    assertArrayEquals(undisturbed.weights().parameters(), resumed.weights().parameters(), 0.0);
  }

  @Test
  void midEpochCheckpointsResumeExactlyToo() throws IOException {
    TrainingConfig config = config(LossKind.HINGE, 0.02);
    TrainingResult undisturbed = run(config, null, TrainingListener.NONE);
    CheckpointStore store = new CheckpointStore(tmp.resolve("mid").toString(), new Configuration());
    assertThrows(RuntimeException.class, () -> run(config, store, killedAfter(17)));
    assertEquals(15, store.latest().globalStep()); // every 5 steps: step 15 is the 3rd step of epoch 3
    assertEquals(2, store.latest().epoch());
    assertEquals(3, store.latest().stepInEpoch());
    assertArrayEquals(undisturbed.weights().parameters(), run(config, store, TrainingListener.NONE).weights()
        .parameters(), 0.0);
  }

  @Test
  void anAveragingRunResumesToTheSameAverage() throws IOException {
    // 24 steps, the last half averaged; killed at step 17, it resumes from step 15 with 3 steps averaged
    TrainingConfig config = config(LossKind.HINGE, 0.02).toBuilder().average(new IterateAveraging(0.5)).build();
    TrainingResult undisturbed = run(config, null, TrainingListener.NONE);
    CheckpointStore store = new CheckpointStore(tmp.resolve("avg").toString(), new Configuration());
    assertThrows(RuntimeException.class, () -> run(config, store, killedAfter(17)));
    Checkpoint saved = store.latest();
    assertEquals(15, saved.globalStep());
    assertEquals(12, saved.averageState()[0], "averaging starts after step 12");
    assertEquals(3, saved.averageState()[1], "steps 13 to 15 averaged");
    double[] resumed = run(config, store, TrainingListener.NONE).weights().parameters();
    assertArrayEquals(undisturbed.weights().parameters(), resumed, 0.0);
    assertFalse(java.util.Arrays.equals(run(config(LossKind.HINGE, 0.02), null, TrainingListener.NONE).weights()
        .parameters(), resumed), "the average is not the last step's weights");
  }

  @Test
  void divergenceLeavesTheLastGoodCheckpointIntact() throws IOException {
    CheckpointStore store = new CheckpointStore(tmp.resolve("nan").toString(), new Configuration());
    TrainingConfig wild = TrainingConfig.builder().loss(LossKind.SQUARED_HINGE).hingeDelta(1.0).epochs(50).maxSteps(0).batchSize(40)
        .learningRate(3.0).learningRateDecay("constant").regularization(0).momentum(0.9).nesterov(false).seed(3)
        .validationFraction(0).partitions(0).treeDepth(0).patience(0).initScale(0.01).scaling(Scaling.UNIT).logEvery(1000).build();
    assertThrows(TrainingDivergedException.class, () -> run(wild, store, TrainingListener.NONE));
    Checkpoint last = store.latest();
    assertTrue(last != null && last.globalStep() > 0, "a checkpoint was written before the divergence");
    for (double p : last.parameters()) {
      assertTrue(Double.isFinite(p));
    }
  }

  @Test
  void checkpointOfAnotherConfigurationOrDataIsRefused() throws IOException {
    CheckpointStore store = new CheckpointStore(tmp.resolve("other").toString(), new Configuration());
    run(config(LossKind.SOFTMAX, 0.05), store, TrainingListener.NONE);
    BadInputException e = assertThrows(BadInputException.class,
        () -> run(config(LossKind.SOFTMAX, 0.07), store, TrainingListener.NONE));
    assertTrue(e.getMessage().contains("another configuration"), e.getMessage());
    Trainer trainer = new Trainer(config(LossKind.SOFTMAX, 0.05)).withCheckpoints(store, 5, "rows=[1]");
    try (LocalObjective objective = new LocalObjective(blocks(), new BlockObjective(
        config(LossKind.SOFTMAX, 0.05).createLoss()), 1)) {
      BadInputException data = assertThrows(BadInputException.class, () -> trainer.train(objective,
          Validation.NONE, Trainer.initialWeights(4, 12, 0.01, 3)));
      assertTrue(data.getMessage().contains("other data"), data.getMessage());
    }
  }
}
