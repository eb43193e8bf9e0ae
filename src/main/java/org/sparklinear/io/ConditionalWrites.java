package org.sparklinear.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.fs.EtagSource;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathIOException;
import org.apache.hadoop.fs.s3a.RemoteFileChangedException;
import org.sparklinear.BadInputException;

/**
 * Object stores (S3 through {@code s3a://}) have no atomic rename or exclusive create: a rename copies every object
 * and then deletes it, and a create checks and then writes. What they can have are conditional writes: a PUT that
 * succeeds only when nothing is at the key ({@code If-None-Match: *}) or when the object there is still the one read
 * ({@code If-Match: etag}). Hadoop exposes them as {@code createFile()} options; this class is the one place that
 * uses them, and checks that a store really honours them before anything relies on them: a store that ignores the
 * headers (as some S3-compatible servers do) would silently turn "exactly one run wins" into "the last run wins".
 */
public final class ConditionalWrites {
  /** {@code createFile()} option: write only if the key is absent ({@code If-None-Match: *}). */
  static final String IF_ABSENT = "fs.option.create.conditional.overwrite";
  /** {@code createFile()} option: overwrite only if the object's etag is this one ({@code If-Match}). */
  static final String IF_MATCH = "fs.option.create.conditional.overwrite.etag";
  /** Schemes of object stores whose rename is a copy (Hadoop's S3, GCS, Aliyun OSS, Tencent COS, Huawei OBS). */
  private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "oss", "cosn", "obs");

  private ConditionalWrites() {}

  /** Whether {@code fs} is an object store: renames copy, so atomicity must come from conditional writes. */
  public static boolean renameIsCopy(FileSystem fs) {
    return OBJECT_STORES.contains(fs.getUri().getScheme()); // not getScheme(): the raw local one does not implement it
  }

  /**
   * Creates {@code path} with {@code content} only if nothing is there: of two writers, exactly one succeeds (on a
   * store that honours {@code If-None-Match}; see {@link #requireHonoured}).
   *
   * @return false when an object already exists at {@code path}
   */
  public static boolean createIfAbsent(FileSystem fs, Path path, String content) throws IOException {
    return write(fs, path, IF_ABSENT, true, content);
  }

  /**
   * Replaces {@code path} with {@code content} only if its etag is still {@code etag}: a compare-and-swap.
   *
   * @return false when the object changed (or vanished) since {@code etag} was read
   */
  public static boolean replaceIfUnchanged(FileSystem fs, Path path, String etag, String content) throws IOException {
    return write(fs, path, IF_MATCH, etag, content);
  }

  /** The etag of the object at {@code path}: what {@link #replaceIfUnchanged} compares with. */
  public static String etag(FileStatus status) throws IOException {
    String etag = status instanceof EtagSource source ? source.getEtag() : null;
    if (etag == null || etag.isEmpty()) {
      throw new IOException(status.getPath() + ": the store reports no etag, so it cannot be updated conditionally");
    }
    return etag;
  }

  /**
   * Refuses (with {@link BadInputException}) an object-store directory where a compare-and-swap would not hold: the
   * client cannot send conditional writes, or the store accepts them and ignores the condition. Probes with a hidden
   * object in {@code dir} ({@code .LOCK.probe-*}): create it twice if absent, overwrite it with a wrong etag; only a
   * store that refuses the second and third writes passes. The probe object is deleted again.
   *
   * @param what what needs the guarantee, for the message ("a model registry")
   */
  public static void requireHonoured(FileSystem fs, Path dir, String what) {
    Path probe = new Path(dir, ".LOCK.probe-" + UUID.randomUUID());
    String advice = " cannot hold " + what + ": its one-run-at-a-time lock and its CURRENT pointer need conditional"
        + " writes (If-None-Match / If-Match on PUT), because renames on an object store are copies. Use a store that"
        + " supports them (Amazon S3, or a compatible server that implements them) with"
        + " fs.s3a.create.conditional.enabled=true (the default), or keep the registry on HDFS or a local/NFS disk";
    try {
      if (!fs.hasPathCapability(dir, IF_ABSENT) || !fs.hasPathCapability(dir, IF_MATCH)) {
        throw new BadInputException(dir + ": the " + fs.getUri().getScheme() + ":// client offers no conditional"
            + " writes, so it" + advice);
      }
      fs.mkdirs(dir);
      boolean first = createIfAbsent(fs, probe, "probe 1\n");
      boolean second = createIfAbsent(fs, probe, "probe 2\n");
      boolean wrongEtag = replaceIfUnchanged(fs, probe, "\"0123456789abcdef0123456789abcdef\"", "probe 3\n");
      if (!first || second || wrongEtag) {
        throw new BadInputException(dir + ": the store at " + fs.getUri() + " ignored a conditional write ("
            + (second ? "a create-if-absent over an existing object succeeded" : "an overwrite with a wrong etag"
            + " succeeded") + "), so it" + advice);
      }
    } catch (PathIOException e) {
      // "Conditional Writes Unavailable": the client has them switched off
      throw new BadInputException(dir + ": " + e.getMessage() + "; so the store" + advice, e);
    } catch (IOException e) {
      throw new BadInputException(dir + ": cannot check that the store honours conditional writes: " + e, e);
    } finally {
      try {
        fs.delete(probe, false);
      } catch (IOException e) {
        // a leftover probe object is harmless: the registry recognises its name
      }
    }
  }

  private static boolean write(FileSystem fs, Path path, String option, Object value, String content)
      throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    var builder = fs.createFile(path);
    if (value instanceof Boolean b) {
      builder.must(option, b);
    } else {
      builder.must(option, (String) value);
    }
    try (OutputStream out = (FSDataOutputStream) builder.build()) {
      out.write(bytes); // the PUT, with its condition, happens in close()
    } catch (RemoteFileChangedException e) {
      return false; // 412 Precondition Failed: someone else's object is there
    } catch (java.io.FileNotFoundException e) {
      return false; // If-Match on a key that no longer exists
    }
    return true;
  }
}
