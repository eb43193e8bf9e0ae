package org.sparklinear.config;

/** One option: its name (without dashes), default value and help text, as written in conf/train.properties. */
public record OptionSpec(String name, String defaultValue, String description) {

  /** Options whose default is {@code true}/{@code false} are flags: {@code --name} alone means true. */
  public boolean isFlag() {
    return defaultValue.equals("true") || defaultValue.equals("false");
  }
}
