package org.sparklinear.loss;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The losses users can pick by name on the command line and in model metadata. */
public enum LossKind {
  SOFTMAX("softmax"),
  HINGE("hinge"),
  SQUARED_HINGE("squared-hinge");

  private final String cliName;

  LossKind(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  public ScoreLoss create(double hingeDelta) {
    return switch (this) {
      case SOFTMAX -> new SoftmaxLoss();
      case HINGE -> new MulticlassHingeLoss(hingeDelta, MulticlassHingeLoss.Penalty.LINEAR);
      case SQUARED_HINGE -> new MulticlassHingeLoss(hingeDelta, MulticlassHingeLoss.Penalty.SQUARED);
    };
  }

  public static LossKind fromName(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (LossKind kind : values()) {
      if (kind.cliName.equals(wanted)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown loss '" + name + "'; expected one of "
        + Arrays.stream(values()).map(LossKind::cliName).collect(Collectors.joining(", ")));
  }
}
