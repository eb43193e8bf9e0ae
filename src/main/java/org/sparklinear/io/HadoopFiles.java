package org.sparklinear.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * File operations on any Hadoop file system with the atomicity that models, checkpoints and the registry rely on,
 * including on local disks, where Hadoop's own {@code create(overwrite=false)} checks and then opens (a race) and its
 * rename-with-overwrite deletes and then renames (a window with no file).
 */
public final class HadoopFiles {
  private HadoopFiles() {}

  /**
   * The file system of a path. On local disks this is the raw one: our files carry their own checksums, and Hadoop's
   * hidden {@code .crc} side files would only make hand-copied or hand-edited files unreadable.
   */
  public static FileSystem fileSystem(Path p, Configuration conf) throws IOException {
    FileSystem fs = p.getFileSystem(conf);
    return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
  }

  /**
   * Creates {@code path} with {@code content} only if it does not exist, atomically: of two processes that try at
   * once, exactly one succeeds.
   *
   * @return false when the file already exists
   */
  public static boolean createExclusive(FileSystem fs, Path path, String content) throws IOException {
    if (ConditionalWrites.renameIsCopy(fs)) {
      return ConditionalWrites.createIfAbsent(fs, path, content); // S3: If-None-Match, the store decides who wins
    }
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    if (fs instanceof RawLocalFileSystem local) {
      java.nio.file.Path file = local.pathToFile(path).toPath();
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        out.write(bytes); // O_EXCL: the kernel decides who wins
      } catch (FileAlreadyExistsException e) {
        return false;
      }
      return true;
    }
    try (OutputStream out = fs.create(path, false)) { // HDFS: the NameNode decides who wins
      out.write(bytes);
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (fs.exists(path)) {
        return false; // some file systems report the clash only as a generic IOException
      }
      throw e;
    }
    return true;
  }

  /**
   * Replaces {@code path} with {@code content} so that readers see either the old or the new file, never a missing or
   * partial one: written to a hidden sibling, then renamed over the target (POSIX rename on local disks, HDFS's
   * rename with overwrite elsewhere). On an object store, where a rename is a copy, one PUT of the whole object
   * gives the same guarantee.
   */
  public static void replaceAtomically(FileSystem fs, Path path, String content) throws IOException {
    replaceAtomically(fs, path, content.getBytes(StandardCharsets.UTF_8));
  }

  public static void replaceAtomically(FileSystem fs, Path path, byte[] content) throws IOException {
    if (ConditionalWrites.renameIsCopy(fs)) {
      try (OutputStream out = fs.create(path, true)) {
        out.write(content);
      }
      return;
    }
    Path tmp = new Path(path.getParent(), "." + path.getName() + ".tmp-" + UUID.randomUUID());
    try {
      try (OutputStream out = fs.create(tmp, false)) {
        out.write(content);
      }
      if (fs instanceof RawLocalFileSystem) {
        if (!fs.rename(tmp, path)) { // java.io.File.renameTo: rename(2), which replaces the target atomically
          throw new IOException("could not rename " + tmp + " to " + path);
        }
      } else {
        FileUtil.rename(fs, tmp, path, Options.Rename.OVERWRITE);
      }
    } finally {
      if (fs.exists(tmp)) {
        fs.delete(tmp, false);
      }
    }
  }

  /** A hidden sibling of {@code target} to build a new output in before it replaces {@code target}. */
  public static Path stagingSibling(Path target) {
    return new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
  }

  /**
   * Moves the complete directory {@code staging} to {@code target}, replacing whatever is there only once the new
   * output is whole: the old one is first renamed aside (one atomic rename), the new one renamed in, and only then
   * the old one deleted. Should the second rename fail, the old one is moved back. On an object store each rename
   * copies every object and then deletes the source: still complete-or-nothing at {@code target} for a run that is
   * not killed midway, but not atomic (a reader during the copy sees a partial directory, and a kill between the two
   * renames leaves the old output under its {@code .NAME.old-*} name).
   */
  public static void replaceDirectory(FileSystem fs, Path staging, Path target) throws IOException {
    Path aside = null;
    if (fs.exists(target)) {
      aside = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
      if (!fs.rename(target, aside)) {
        throw new IOException("could not move " + target + " aside to " + aside);
      }
    }
    boolean moved = false;
    try {
      moved = fs.rename(staging, target);
    } finally {
      if (!moved && aside != null) {
        fs.rename(aside, target);
      }
    }
    if (!moved) {
      throw new IOException("could not rename " + staging + " to " + target);
    }
    if (aside != null) {
      fs.delete(aside, true);
    }
  }

  /** Up to {@code maxBytes} from the start of a file, as text. */
  public static String readHead(FileSystem fs, Path path, int maxBytes) throws IOException {
    try (InputStream in = fs.open(path)) {
      return new String(in.readNBytes(maxBytes), StandardCharsets.UTF_8);
    }
  }

  /** A small text file, read whole; at most {@code maxBytes}, so a wrong path cannot exhaust memory. */
  public static String readSmall(FileSystem fs, Path path, int maxBytes) throws IOException {
    try (InputStream in = fs.open(path)) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw new IOException(path + " is larger than " + maxBytes + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
