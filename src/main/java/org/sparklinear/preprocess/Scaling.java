package org.sparklinear.preprocess;


/** How centred pixels are scaled. */
public enum Scaling {
  /** Divide by 255: every feature keeps its relative spread. */
  UNIT("unit"),
  /** Divide each feature by its standard deviation on the training data. */
  STANDARDIZE("standardize");

  private final String cliName;

  Scaling(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  public static Scaling fromName(String name) {
    return org.sparklinear.CliNames.parse(values(), Scaling::cliName, name, "scaling");
  }

}
