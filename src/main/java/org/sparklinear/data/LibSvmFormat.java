package org.sparklinear.data;

import org.sparklinear.BadInputException;

/**
 * One line of a LibSVM text file: {@code LABEL INDEX:VALUE INDEX:VALUE ...} with 1-based, strictly increasing
 * indices and absent features zero; a {@code #} starts a comment; blank lines hold no example. Labels are integers
 * (a LibSVM "1.0" is 1); every problem is reported with the line's location.
 */
public final class LibSvmFormat {
  /**
   * The widest feature vector accepted: every row becomes a dense vector of this many floats (4 MiB) and every class
   * a template of this many doubles, so wider data would exhaust memory long before training; sparse data that wide
   * needs a sparse learner.
   */
  public static final int MAX_FEATURES = 1 << 20;

  private LibSvmFormat() {}

  /** A parsed line: its label and its non-zero features. */
  public record Line(long label, int[] indices, float[] values) {
    public int maxIndex() {
      return indices.length == 0 ? 0 : indices[indices.length - 1];
    }

    /** The dense vector of {@code features} values. */
    public float[] dense(int features, String where) {
      float[] dense = new float[features];
      for (int i = 0; i < indices.length; i++) {
        if (indices[i] > features) {
          throw new BadInputException(where + ": feature index " + indices[i] + " is beyond the " + features
              + " features of this dataset");
        }
        dense[indices[i] - 1] = values[i];
      }
      return dense;
    }
  }

  /**
   * Parses a line, or returns null for a blank or comment-only line.
   *
   * @param where the file and line number, for messages
   */
  public static Line parse(String text, String where) {
    int hash = text.indexOf('#');
    String content = (hash >= 0 ? text.substring(0, hash) : text).trim();
    if (content.isEmpty()) {
      return null;
    }
    String[] tokens = content.split("\\s+");
    long label = parseLabel(tokens[0], where);
    int[] indices = new int[tokens.length - 1];
    float[] values = new float[tokens.length - 1];
    int previous = 0;
    for (int t = 1; t < tokens.length; t++) {
      String token = tokens[t];
      int colon = token.indexOf(':');
      if (colon <= 0 || colon == token.length() - 1) {
        throw new BadInputException(where + ": '" + shorten(token) + "' is not INDEX:VALUE");
      }
      int index;
      try {
        index = Integer.parseInt(token.substring(0, colon));
      } catch (NumberFormatException e) {
        throw new BadInputException(where + ": feature index '" + shorten(token.substring(0, colon))
            + "' is not an integer");
      }
      if (index < 1) {
        throw new BadInputException(where + ": feature index " + index + " is below 1 (LibSVM indices start at 1)");
      }
      if (index > MAX_FEATURES) {
        throw new BadInputException(where + ": feature index " + index + " is beyond the limit of " + MAX_FEATURES
            + " features (rows are stored dense)");
      }
      if (index <= previous) {
        throw new BadInputException(where + ": feature index " + index + " follows " + previous
            + "; indices must increase");
      }
      float value;
      try {
        value = Float.parseFloat(token.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new BadInputException(where + ": value '" + shorten(token.substring(colon + 1)) + "' of feature "
            + index + " is not a number");
      }
      if (!Float.isFinite(value)) {
        throw new BadInputException(where + ": feature " + index + " is " + value
            + (Float.isNaN(value) ? "" : " (or too large for a float)"));
      }
      indices[t - 1] = index;
      values[t - 1] = value;
      previous = index;
    }
    return new Line(label, indices, values);
  }

  private static long parseLabel(String token, String where) {
    double v;
    try {
      v = Double.parseDouble(token);
    } catch (NumberFormatException e) {
      throw new BadInputException(where + ": label '" + shorten(token) + "' is not a number");
    }
    if (!Double.isFinite(v) || v != Math.rint(v) || Math.abs(v) > 1e15) {
      throw new BadInputException(where + ": label '" + shorten(token) + "' is not a class number (an integer)");
    }
    return (long) v;
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
