package org.sparklinear.cli;

import java.util.List;
import org.sparklinear.train.TrainingConfig;

/** The training configuration {@code train} would use, from conf/train.properties plus the given flags. */
public final class TrainingDefaults {
  private TrainingDefaults() {}

  public static TrainingConfig config(String... flags) {
    return TrainCommand.config(Options.parse("train", List.of(flags), OptionCatalog.load(), new TrainCommand().options()));
  }
}
