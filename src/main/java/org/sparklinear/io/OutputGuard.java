package org.sparklinear.io;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparklinear.BadInputException;

/**
 * The check every command's outputs pass before any work starts, so that a mistyped path can never destroy what the
 * job did not make: no output may equal, contain or lie inside an input or another output (compared as qualified
 * paths, local symlinks resolved, input globs expanded), and an existing output is replaced only when it is empty or
 * this job's own output of the same kind.
 */
public final class OutputGuard {
  /** An input path as the user gave it, for instance {@code --data} and its value. */
  public record Input(String option, String path) {}

  /** An output path, with what the command writes there. */
  public record Output(String option, String path, OutputKind kind) {}

  private OutputGuard() {}

  /** Throws {@link BadInputException} naming both paths at the first overlap or foreign target; touches nothing. */
  public static void check(List<Input> inputs, List<Output> outputs, boolean overwrite, Configuration conf) {
    try {
      List<Resolved> in = new ArrayList<>();
      for (Input i : inputs) {
        for (Path p : expand(i.path(), conf)) {
          in.add(new Resolved("--" + i.option() + " " + i.path(), i.path(), p));
        }
      }
      List<Resolved> out = new ArrayList<>();
      for (Output o : outputs) {
        out.add(new Resolved("--" + o.option() + " " + o.path(), o.path(), resolve(new Path(o.path()), conf)));
      }
      for (int k = 0; k < out.size(); k++) {
        Resolved o = out.get(k);
        for (Resolved i : in) {
          refuseOverlap(o, i, "input");
        }
        for (Resolved other : out.subList(k + 1, out.size())) {
          refuseOverlap(o, other, "output");
        }
      }
      for (int k = 0; k < outputs.size(); k++) {
        Output o = outputs.get(k);
        Path p = out.get(k).path();
        checkReplaceable(p.getFileSystem(conf), p, o.kind(), overwrite, "--" + o.option() + " " + o.path());
      }
    } catch (IOException e) {
      throw new BadInputException("cannot check the output paths: " + e.getMessage(), e);
    }
  }

  /**
   * Refuses an existing {@code path} that is not an empty directory or this job's own output of {@code kind}, and,
   * for kinds replaced whole, one that exists without {@code overwrite}. {@code label} names it in the message.
   */
  public static void checkReplaceable(FileSystem fs, Path path, OutputKind kind, boolean overwrite, String label)
      throws IOException {
    if (!fs.exists(path)) {
      return;
    }
    String why = kind.whyNotOurs(fs, path);
    if (why != null) {
      throw new BadInputException(label + ": refusing to write " + kind.description() + " there: " + why
          + ". This job replaces only what it wrote itself; choose another path");
    }
    boolean empty = kind.isDirectory() && fs.listStatus(path).length == 0;
    if (kind.replacedOnlyWithOverwrite() && !overwrite && !empty) {
      throw new BadInputException(label + ": " + kind.description() + " already exists there; pass --overwrite to"
          + " replace it");
    }
  }

  /** Writes a complete output into the (not yet existing) directory it is given. */
  public interface DirectoryWriter {
    void writeInto(Path staging) throws IOException;
  }

  /**
   * The one way an output directory is written: into a hidden sibling, with this kind's marker, then moved over
   * {@code target} whole ({@link HadoopFiles#replaceDirectory}), after checking once more that {@code target} may be
   * replaced. A failure at any point leaves {@code target} as it was and no staging folder behind.
   */
  public static void writeReplacing(FileSystem fs, Path target, OutputKind kind, boolean overwrite, String label,
      DirectoryWriter writer) throws IOException {
    checkReplaceable(fs, target, kind, overwrite, label);
    if (target.getParent() != null) {
      fs.mkdirs(target.getParent());
    }
    Path staging = HadoopFiles.stagingSibling(target);
    try {
      writer.writeInto(staging);
      if (kind.usesMarker()) {
        kind.writeMarker(fs, staging);
      }
      checkReplaceable(fs, target, kind, overwrite, label); // it may have appeared while the output was written
      HadoopFiles.replaceDirectory(fs, staging, target);
    } finally {
      if (fs.exists(staging)) {
        fs.delete(staging, true);
      }
    }
  }

  private record Resolved(String label, String given, Path path) {
    /** Whether resolving changed more than the scheme: a symlink, a glob match, a relative path. */
    boolean resolvedDiffers() {
      return !path.toUri().getPath().equals(new Path(given).toUri().getPath());
    }

    /** The qualified path as text with no trailing slash, for prefix comparisons. */
    String key() {
      String s = path.toUri().toString();
      return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
  }

  private static void refuseOverlap(Resolved out, Resolved other, String what) {
    String a = out.key();
    String b = other.key();
    String relation;
    if (a.equals(b)) {
      relation = "is the same path as";
    } else if (b.startsWith(a + "/")) {
      relation = "contains";
    } else if (a.startsWith(b + "/")) {
      relation = "lies inside";
    } else {
      return;
    }
    String resolvedNote = out.resolvedDiffers() || other.resolvedDiffers()
        ? " (resolved: " + out.path() + " and " + other.path() + ")" : "";
    throw new BadInputException(out.label() + " " + relation + " " + what + " " + other.label() + resolvedNote
        + ": an output may not overlap an " + what + " of the same command; nothing was written");
  }

  /** An input's paths: a glob's matches (the pattern itself when nothing matches), each resolved. */
  private static List<Path> expand(String given, Configuration conf) throws IOException {
    Path p = new Path(given);
    List<Path> paths = new ArrayList<>();
    if (hasGlob(given)) {
      FileStatus[] matches = p.getFileSystem(conf).globStatus(p);
      if (matches != null) {
        for (FileStatus m : matches) {
          paths.add(resolve(m.getPath(), conf));
        }
      }
    }
    if (paths.isEmpty()) {
      paths.add(resolve(p, conf));
    }
    return paths;
  }

  private static boolean hasGlob(String path) {
    for (char c : new char[] {'*', '?', '[', '{'}) {
      if (path.indexOf(c) >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The path qualified on its file system; on local disks with symlinks resolved in its longest existing ancestor,
   * so that a link to the data is the data.
   */
  static Path resolve(Path p, Configuration conf) throws IOException {
    FileSystem fs = p.getFileSystem(conf);
    Path qualified = fs.makeQualified(p);
    if (!"file".equals(qualified.toUri().getScheme())) {
      return qualified;
    }
    java.nio.file.Path local = Paths.get(URI.create("file://" + qualified.toUri().getRawPath())).normalize();
    java.nio.file.Path existing = local;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return qualified;
    }
    java.nio.file.Path real = existing.toRealPath().resolve(existing.relativize(local));
    return fs.makeQualified(new Path(real.toString())); // not toUri(): a directory's URI ends in '/'
  }
}
