package org.sparklinear.data;

import java.util.Locale;

/** The input formats; detected from the path unless {@code --format} names one. */
public enum DataFormat {
  /** CIFAR-10 binary version: fixed 3073-byte records. */
  CIFAR10("cifar10"),
  /** A folder of class folders of image files. */
  IMAGES("images");

  private final String cliName;

  DataFormat(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  /** {@code auto} (or empty) gives null: detect from the path. */
  public static DataFormat fromName(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    if (wanted.isEmpty() || wanted.equals("auto")) {
      return null;
    }
    for (DataFormat f : values()) {
      if (f.cliName.equals(wanted)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown data format '" + name + "'; expected auto, cifar10 or images");
  }
}
