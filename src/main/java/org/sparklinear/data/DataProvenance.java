package org.sparklinear.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.sparklinear.BadInputException;

/**
 * Where a dataset came from, as a registry records it: the path and every file under it with its size and modification
 * time. Two runs on unchanged input have equal provenance, which is what makes a default retraining run id stable.
 *
 * @param files path, bytes and modification time (epoch ms) of each file, sorted by path; hidden files excluded
 */
public record DataProvenance(String path, List<FileEntry> files) {
  /** At most this many files are listed one by one in a provenance record; the totals always cover all of them. */
  public static final int LISTED_FILES = 1000;

  public record FileEntry(String path, long bytes, long modified) {}

  public DataProvenance {
    files = List.copyOf(files);
  }

  /** Lists {@code path} (a file, a folder searched recursively, or a glob) on its Hadoop file system. */
  public static DataProvenance of(String path, Configuration conf) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) {
        throw new BadInputException(path + ": no such file or directory");
      }
      List<FileEntry> files = new ArrayList<>();
      for (FileStatus match : matches) {
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(match.getPath(), true);
        while (it.hasNext()) {
          LocatedFileStatus f = it.next();
          if (!isHidden(f.getPath(), match.getPath())) {
            files.add(new FileEntry(f.getPath().toString(), f.getLen(), f.getModificationTime()));
          }
        }
      }
      files.sort((a, b) -> a.path().compareTo(b.path()));
      return new DataProvenance(path, files);
    } catch (IOException e) {
      throw new BadInputException(path + ": cannot list the input files: " + e.getMessage(), e);
    }
  }

  private static boolean isHidden(Path file, Path root) {
    for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
      if (p.getName().startsWith(".") || p.getName().startsWith("_")) {
        return true;
      }
    }
    return false;
  }

  public long totalBytes() {
    return files.stream().mapToLong(FileEntry::bytes).sum();
  }

  public long newestModification() {
    return files.stream().mapToLong(FileEntry::modified).max().orElse(0);
  }

  /** A JSON-ready summary: totals always, the file list up to {@link #LISTED_FILES} entries. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    m.put("files", files.size());
    m.put("bytes", totalBytes());
    m.put("newestModification", java.time.Instant.ofEpochMilli(newestModification()).toString());
    List<Map<String, Object>> listed = new ArrayList<>();
    for (FileEntry f : files.subList(0, Math.min(files.size(), LISTED_FILES))) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("path", f.path());
      e.put("bytes", f.bytes());
      e.put("modified", java.time.Instant.ofEpochMilli(f.modified()).toString());
      listed.add(e);
    }
    m.put("fileList", listed);
    m.put("fileListComplete", files.size() <= LISTED_FILES);
    return m;
  }
}
