package org.sparklinear.loss;


/** The losses users can pick by name on the command line and in model metadata. */
public enum LossKind {
  SOFTMAX("softmax", 0.1, true),
  HINGE("hinge", 0.01, false),
  SQUARED_HINGE("squared-hinge", 0.002, true),
  CRAMMER_SINGER("crammer-singer", 0.02, false),
  ONE_VS_ALL("one-vs-all", 0.01, false),
  AM_SOFTMAX("am-softmax", 0.01, true),
  MSE("mse", 0.01, true);

  /** AM-softmax defaults: scale s and margin m. */
  public static final double AM_SCALE = 30;
  public static final double AM_MARGIN = 0.35;

  private final String cliName;
  private final double defaultLearningRate;
  private final boolean smooth;

  LossKind(String cliName, double defaultLearningRate, boolean smooth) {
    this.cliName = cliName;
    this.defaultLearningRate = defaultLearningRate;
    this.smooth = smooth;
  }

  /**
   * Whether the loss has a continuous gradient. The plain hinges have kinks: near their optimum a minibatch's
   * subgradient does not shrink, so SGD's last iterate keeps jumping across the kinks and the mean of the iterates is
   * the better model ({@code --average auto}).
   */
  public boolean smooth() {
    return smooth;
  }

  /**
   * What {@code --lr auto} means for this loss. Hinge gradients are up to K-1 times larger per row than softmax's
   * (one unit per violated margin), so one rate cannot suit both; these were tuned on CIFAR-10 raw pixels.
   */
  public double defaultLearningRate() {
    return defaultLearningRate;
  }

  public String cliName() {
    return cliName;
  }

  public ScoreLoss create(double hingeDelta) {
    return create(hingeDelta, AM_SCALE, AM_MARGIN);
  }

  public ScoreLoss create(double hingeDelta, double amScale, double amMargin) {
    return switch (this) {
      case SOFTMAX -> new SoftmaxLoss();
      case HINGE -> new MulticlassHingeLoss(hingeDelta, MulticlassHingeLoss.Penalty.LINEAR);
      case SQUARED_HINGE -> new MulticlassHingeLoss(hingeDelta, MulticlassHingeLoss.Penalty.SQUARED);
      case CRAMMER_SINGER -> new CrammerSingerLoss(hingeDelta);
      case ONE_VS_ALL -> new OneVsAllHingeLoss(hingeDelta);
      case AM_SOFTMAX -> new AdditiveMarginSoftmaxLoss(amScale, amMargin);
      case MSE -> new SquaredErrorLoss();
    };
  }

  public static LossKind fromName(String name) {
    return org.sparklinear.CliNames.parse(values(), LossKind::cliName, name, "loss");
  }

}
