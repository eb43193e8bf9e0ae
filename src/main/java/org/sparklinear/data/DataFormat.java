package org.sparklinear.data;


/** The input formats; detected from the path unless {@code --format} names one. */
public enum DataFormat {
  /** CIFAR-10 binary version: fixed 3073-byte records. */
  CIFAR10("cifar10"),
  /** A folder of class folders of image files, listed and read by this job. */
  IMAGES("images"),
  /** A folder of class folders of image files, listed and read by Spark's {@code binaryFile} source. */
  BINARY_FILES("binary-files"),
  /** LibSVM text: {@code LABEL INDEX:VALUE ...} per line; read as dense float feature vectors. */
  LIBSVM("libsvm");

  private final String cliName;

  DataFormat(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  /** {@code auto} (or empty) gives null: detect from the path. */
  public static DataFormat fromName(String name) {
    if (name.isBlank() || name.trim().equalsIgnoreCase("auto")) {
      return null;
    }
    return org.sparklinear.CliNames.parse(values(), DataFormat::cliName, name, "data format");
  }

}
