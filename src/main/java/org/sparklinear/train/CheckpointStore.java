package org.sparklinear.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Comparator;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparklinear.BadInputException;
import org.sparklinear.io.HadoopFiles;

/**
 * Checkpoints in a directory on any Hadoop file system: {@code step-NNNNNNNNNN.ckpt}, each written to a hidden
 * temporary file and renamed into place, with a CRC-32 at the end; the newest two are kept. A crash at any moment
 * leaves the last complete checkpoint readable.
 */
public final class CheckpointStore {
  private static final long MAGIC_1 = 0x534C43434B505431L; // "SLCCKPT1": before iterate averaging
  private static final long MAGIC = 0x534C43434B505432L; // "SLCCKPT2": with the iterate average at the end
  private static final String PREFIX = "step-";
  private static final String SUFFIX = ".ckpt";
  private static final int KEEP = 2;

  private final Path dir;
  private final FileSystem fs;

  public CheckpointStore(String dir, Configuration conf) throws IOException {
    this.dir = new Path(dir);
    this.fs = HadoopFiles.fileSystem(this.dir, conf); // the checkpoint has its own CRC
  }

  public void write(Checkpoint c) throws IOException {
    fs.mkdirs(dir);
    String name = String.format("%s%010d%s", PREFIX, c.globalStep(), SUFFIX);
    Path tmp = new Path(dir, "." + name + ".tmp");
    try (OutputStream raw = new BufferedOutputStream(fs.create(tmp, true), 1 << 16)) {
      CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32());
      DataOutputStream out = new DataOutputStream(checked);
      out.writeLong(MAGIC);
      out.writeUTF(c.configHash());
      out.writeUTF(c.dataFingerprint());
      out.writeInt(c.epoch());
      out.writeInt(c.stepInEpoch());
      out.writeLong(c.globalStep());
      writeArray(out, c.parameters());
      writeArray(out, c.optimizerState());
      out.writeDouble(c.bestAccuracy());
      writeArray(out, c.bestParameters());
      out.writeInt(c.epochsWithoutImprovement());
      out.writeDouble(c.initialLoss());
      writeArray(out, c.averageState());
      out.flush();
      new DataOutputStream(raw).writeLong(checked.getChecksum().getValue());
    }
    Path target = new Path(dir, name);
    fs.delete(target, false);
    if (!fs.rename(tmp, target)) {
      throw new IOException("could not rename " + tmp + " to " + target);
    }
    FileStatus[] all = list();
    for (int i = 0; i < all.length - KEEP; i++) {
      fs.delete(all[i].getPath(), false);
    }
  }

  /** The newest complete checkpoint, or null when there is none. */
  public Checkpoint latest() throws IOException {
    FileStatus[] all = list();
    return all.length == 0 ? null : read(all[all.length - 1].getPath());
  }

  private FileStatus[] list() throws IOException {
    if (!fs.exists(dir)) {
      return new FileStatus[0];
    }
    FileStatus[] files = fs.listStatus(dir, p -> p.getName().startsWith(PREFIX) && p.getName().endsWith(SUFFIX));
    Arrays.sort(files, Comparator.comparing(f -> f.getPath().getName()));
    return files;
  }

  private Checkpoint read(Path path) throws IOException {
    try (InputStream raw = new BufferedInputStream(fs.open(path))) {
      CheckedInputStream checked = new CheckedInputStream(raw, new CRC32());
      DataInputStream in = new DataInputStream(checked);
      long magic = in.readLong();
      if (magic != MAGIC && magic != MAGIC_1) {
        throw new BadInputException(path + ": not a checkpoint of this project");
      }
      Checkpoint c = new Checkpoint(in.readUTF(), in.readUTF(), in.readInt(), in.readInt(), in.readLong(),
          readArray(in, path), readArray(in, path), in.readDouble(), readArray(in, path), in.readInt(),
          in.readDouble(), magic == MAGIC ? readArray(in, path) : null);
      long computed = checked.getChecksum().getValue();
      if (new DataInputStream(raw).readLong() != computed) {
        throw new BadInputException(path + ": checkpoint checksum mismatch: the file is corrupt");
      }
      return c;
    } catch (java.io.EOFException e) {
      throw new BadInputException(path + ": checkpoint is truncated", e);
    }
  }

  private static void writeArray(DataOutputStream out, double[] a) throws IOException {
    out.writeInt(a == null ? -1 : a.length);
    if (a != null) {
      for (double v : a) {
        out.writeDouble(v);
      }
    }
  }

  private static double[] readArray(DataInputStream in, Path path) throws IOException {
    int n = in.readInt();
    if (n < -1 || n > 1 << 28) {
      throw new BadInputException(path + ": checkpoint array length " + n + " is impossible");
    }
    if (n == -1) {
      return null;
    }
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = in.readDouble();
    }
    return a;
  }
}
