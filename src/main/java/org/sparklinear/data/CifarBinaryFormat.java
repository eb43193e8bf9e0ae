package org.sparklinear.data;

import org.sparklinear.BadInputException;

/**
 * The CIFAR-10 binary record: one label byte, then 1024 red, 1024 green and 1024 blue bytes, each plane row-major.
 * That is already this project's planar layout, so decoding is a copy.
 */
public final class CifarBinaryFormat {
  public static final int PIXEL_BYTES = 3 * 32 * 32;
  public static final int RECORD_BYTES = 1 + PIXEL_BYTES;
  public static final String META_FILE = "batches.meta.txt";

  private CifarBinaryFormat() {}

  /**
   * Decodes the record at {@code offset} of {@code buffer}.
   *
   * @param classCount labels must be below this
   * @param source names the record in errors and results, e.g. {@code data_batch_1.bin#42}
   */
  public static LabeledImage decode(byte[] buffer, int offset, int classCount, String source) {
    int label = buffer[offset] & 0xff;
    if (label >= classCount) {
      throw new BadInputException(source + ": label " + label + " is outside the " + classCount
          + " classes (0.." + (classCount - 1) + ")");
    }
    byte[] pixels = new byte[PIXEL_BYTES];
    System.arraycopy(buffer, offset + 1, pixels, 0, PIXEL_BYTES);
    return new LabeledImage(source, label, pixels);
  }

  /** Encodes one record; the inverse of {@link #decode}. */
  public static void encode(int label, byte[] planarPixels, byte[] buffer, int offset) {
    if (label < 0 || label > 255) {
      throw new IllegalArgumentException("a CIFAR label is one byte, got " + label);
    }
    if (planarPixels.length != PIXEL_BYTES) {
      throw new IllegalArgumentException("a CIFAR record holds " + PIXEL_BYTES + " pixel bytes, got " + planarPixels.length);
    }
    buffer[offset] = (byte) label;
    System.arraycopy(planarPixels, 0, buffer, offset + 1, PIXEL_BYTES);
  }

  /** Why a file of this size cannot be CIFAR records, or null when it can. */
  public static String sizeProblem(long bytes) {
    if (bytes == 0) {
      return "file is empty";
    }
    if (bytes % RECORD_BYTES != 0) {
      return "size " + bytes + " bytes is not a multiple of the " + RECORD_BYTES
          + "-byte CIFAR-10 record (1 label byte + 3072 pixel bytes); " + (bytes % RECORD_BYTES)
          + " bytes are left over after " + (bytes / RECORD_BYTES) + " records";
    }
    return null;
  }
}
