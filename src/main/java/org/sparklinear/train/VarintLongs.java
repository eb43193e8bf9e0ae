package org.sparklinear.train;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.InvalidObjectException;

/**
 * {@code long[]} as zig-zag varints (7 bits a byte, small magnitudes of either sign in few bytes), exact for every
 * value: the fixed-point sums of a gradient, whose entries are mostly far below 2^63, cross the network in about 5
 * bytes each instead of 8. Written in chunks so that neither side needs a buffer of the whole array's size.
 */
final class VarintLongs {
  private static final int CHUNK = 8192;
  private static final int MAX_BYTES = 10; // ceil(64 / 7)

  private VarintLongs() {}

  static void write(long[] values, DataOutput out) throws IOException {
    out.writeInt(values.length);
    byte[] buffer = new byte[Math.min(values.length, CHUNK) * MAX_BYTES];
    for (int from = 0; from < values.length; from += CHUNK) {
      int to = Math.min(values.length, from + CHUNK);
      int n = 0;
      for (int i = from; i < to; i++) {
        long v = (values[i] << 1) ^ (values[i] >> 63);
        while ((v & ~0x7FL) != 0) {
          buffer[n++] = (byte) ((v & 0x7F) | 0x80);
          v >>>= 7;
        }
        buffer[n++] = (byte) v;
      }
      out.writeInt(n);
      out.write(buffer, 0, n);
    }
  }

  static long[] read(DataInput in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      throw new InvalidObjectException("negative length " + length);
    }
    long[] values = new long[length];
    byte[] buffer = new byte[Math.min(length, CHUNK) * MAX_BYTES];
    for (int from = 0; from < length; from += CHUNK) {
      int to = Math.min(length, from + CHUNK);
      int n = in.readInt();
      if (n < to - from || n > (to - from) * MAX_BYTES) {
        throw new InvalidObjectException("a chunk of " + (to - from) + " varints cannot take " + n + " bytes");
      }
      in.readFully(buffer, 0, n);
      int p = 0;
      for (int i = from; i < to; i++) {
        long v = 0;
        int shift = 0;
        byte b;
        do {
          if (p == n || shift > 63) {
            throw new InvalidObjectException("malformed varint at entry " + i);
          }
          b = buffer[p++];
          v |= (long) (b & 0x7F) << shift;
          shift += 7;
        } while (b < 0);
        values[i] = (v >>> 1) ^ -(v & 1);
      }
      if (p != n) {
        throw new InvalidObjectException("a chunk of varints has " + (n - p) + " bytes left over");
      }
    }
    return values;
  }
}
