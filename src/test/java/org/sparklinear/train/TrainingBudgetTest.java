package org.sparklinear.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.sparklinear.model.ModelMetadata;
import org.sparklinear.optim.IterateAveraging;
import org.sparklinear.train.AutomaticSettings.Setting;

/** The budget rule: batch, epochs, decay and patience from the data's size, explicit settings untouched. */
class TrainingBudgetTest {

  private static Map<String, String> chosen(TrainingBudget b) {
    return b.choices().stream().collect(Collectors.toMap(ModelMetadata.Choice::setting, ModelMetadata.Choice::value));
  }

  @Test
  void theDefaultsLeaveTheBudgetAndRateToTheDataButNotTheStrength() {
    AutomaticSettings auto = TrainingConfig.builder().build().automatic();
    assertEquals(AutomaticSettings.of(Setting.EPOCHS, Setting.BATCH_SIZE, Setting.LEARNING_RATE_DECAY,
        Setting.PATIENCE, Setting.AVERAGE, Setting.LEARNING_RATE, Setting.MIRROR), auto);
  }

  @Test
  void smallDataGetsASmallBatchAndEnoughSteps() {
    // ~1,400 digits: 22 steps of 64 an epoch, 19 epochs for 400 steps (1024 rows a step gave 2 steps an epoch)
    TrainingBudget digits = TrainingBudget.fit(TrainingConfig.builder().build(), 1403, 34);
    assertEquals(64, digits.batchSize());
    assertEquals(19, digits.epochs());
    assertTrue(digits.epochs() * TrainingBudget.stepsPerEpoch(1403, 64) >= TrainingBudget.MIN_STEPS);
    assertEquals(0, digits.patience()); // 34 validation rows: too few to stop on
    assertEquals(TrainingBudget.decayOver(19), digits.learningRateDecay());
    assertEquals(Map.of("batch-size", "64", "epochs", "19", "lr-decay", "exponential:0.8859", "patience", "0",
        "average", "none"), chosen(digits));
    // 300 images: the smallest batch, and the steps still reached
    TrainingBudget tiny = TrainingBudget.fit(TrainingConfig.builder().build(), 300, 0);
    assertEquals(32, tiny.batchSize());
    assertEquals(40, tiny.epochs()); // 10 steps an epoch
  }

  @Test
  void largeDataKeepsCifarsBatchAndTenEpochs() {
    TrainingBudget cifar = TrainingBudget.fit(TrainingConfig.builder().build(), 44082, 918);
    assertEquals(1024, cifar.batchSize());
    assertEquals(10, cifar.epochs());
    assertEquals("exponential:0.7943", cifar.learningRateDecay()); // 0.8 before: a tenth after 10 epochs
    assertEquals(5, cifar.patience());
    TrainingBudget huge = TrainingBudget.fit(TrainingConfig.builder().build(), 5_000_000, 100_000);
    assertEquals(1024, huge.batchSize());
    assertEquals(10, huge.epochs());
  }

  @Test
  void explicitSettingsWinAndAreNotReportedAsChosen() {
    TrainingConfig given = TrainingConfig.builder().set("epochs", "3").set("batch-size", "500")
        .set("lr-decay", "constant").set("patience", "2").set("average", "none").build();
    assertEquals(AutomaticSettings.of(Setting.LEARNING_RATE, Setting.MIRROR), given.automatic());
    TrainingBudget b = TrainingBudget.fit(given, 1403, 34);
    assertEquals(500, b.batchSize());
    assertEquals(3, b.epochs());
    assertEquals("constant", b.learningRateDecay());
    assertEquals(2, b.patience());
    assertEquals(List.of(), b.choices());
    TrainingConfig applied = b.applyTo(given);
    assertEquals(given.toOptions(), applied.toOptions());
    // an explicit batch size still gets the epochs it needs, and the rule says why
    TrainingBudget batchOnly = TrainingBudget.fit(TrainingConfig.builder().set("batch-size", "128").build(), 1403, 0);
    assertEquals(128, batchOnly.batchSize());
    assertEquals(37, batchOnly.epochs()); // 11 steps an epoch
    String why = batchOnly.choices().stream().filter(c -> c.setting().equals("epochs")).findFirst().orElseThrow()
        .reason();
    assertTrue(why.contains("at least 400 steps"), why);
  }

  @Test
  void appliedBudgetIsExplicitButLeavesTheRateToTheSearch() {
    TrainingConfig defaults = TrainingConfig.builder().build();
    TrainingConfig run = TrainingBudget.fit(defaults, 1403, 34).applyTo(defaults);
    assertEquals(AutomaticSettings.of(Setting.LEARNING_RATE, Setting.MIRROR), run.automatic());
    assertEquals(64, run.batchSize());
  }

  @Test
  void lossesWithKinksAverageTheSecondHalfAtAConstantRate() {
    for (String loss : List.of("hinge", "crammer-singer", "one-vs-all")) {
      TrainingConfig config = TrainingConfig.builder().set("loss", loss).build();
      TrainingBudget b = TrainingBudget.fit(config, 44082, 918);
      assertEquals(0.5, b.average().tail(), loss);
      assertEquals("constant", b.learningRateDecay(), loss);
      assertEquals("tail:0.5", b.applyTo(config).toOptions().get("average"));
    }
    for (String loss : List.of("softmax", "squared-hinge", "am-softmax", "mse")) {
      TrainingBudget b = TrainingBudget.fit(TrainingConfig.builder().set("loss", loss).build(), 44082, 918);
      assertEquals(IterateAveraging.NONE, b.average(), loss);
      assertEquals("exponential:0.7943", b.learningRateDecay(), loss);
    }
    // either given: the other follows it; both given: as given
    TrainingBudget averaged = TrainingBudget.fit(TrainingConfig.builder().set("average", "tail:0.3").build(), 44082,
        918);
    assertEquals("constant", averaged.learningRateDecay());
    TrainingBudget decayed = TrainingBudget.fit(TrainingConfig.builder().set("loss", "hinge")
        .set("lr-decay", "exponential:0.9").build(), 44082, 918);
    assertEquals(0.5, decayed.average().tail());
    assertEquals("exponential:0.9", decayed.learningRateDecay());
  }
}
