package org.sparklinear.train;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which training settings were left to {@code auto}: chosen on the data once its size is known ({@link TrainingBudget}
 * for the epochs, batch size, decay, patience and averaging; {@link SettingSearch} for the learning rate, the L2
 * strength and mirror symmetry). A setting given explicitly is never changed.
 */
public record AutomaticSettings(Set<Setting> settings) implements Serializable {

  /** The settings that can be left to the data. */
  public enum Setting {
    EPOCHS, BATCH_SIZE, LEARNING_RATE_DECAY, PATIENCE, AVERAGE, LEARNING_RATE, REGULARIZATION, MIRROR
  }

  public static final AutomaticSettings NONE = new AutomaticSettings(Set.of());

  public AutomaticSettings {
    settings = settings.isEmpty() ? EnumSet.noneOf(Setting.class) : EnumSet.copyOf(settings);
  }

  public static AutomaticSettings of(Setting... auto) {
    return new AutomaticSettings(Set.of(auto));
  }

  public boolean has(Setting setting) {
    return settings.contains(setting);
  }

  /** A copy with {@code setting} left to the data or not. */
  public AutomaticSettings with(Setting setting, boolean auto) {
    EnumSet<Setting> copy = settings.isEmpty() ? EnumSet.noneOf(Setting.class) : EnumSet.copyOf(settings);
    if (auto) {
      copy.add(setting);
    } else {
      copy.remove(setting);
    }
    return new AutomaticSettings(copy);
  }

  @Override
  public Set<Setting> settings() {
    return settings.isEmpty() ? EnumSet.noneOf(Setting.class) : EnumSet.copyOf(settings);
  }
}
