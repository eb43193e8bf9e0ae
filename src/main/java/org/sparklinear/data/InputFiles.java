package org.sparklinear.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparklinear.BadInputException;

/** The files an input path names: a file, a folder's files (one level) or a glob, sorted by path. */
final class InputFiles {
  private InputFiles() {}

  /**
   * @param inFolder which files of a named folder count (a file named directly always counts)
   * @param what for the message when none is found, e.g. "CIFAR-10 .bin files"
   */
  static List<FileStatus> list(String path, Configuration conf, Predicate<String> inFolder, String what)
      throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    FileStatus[] matches = fs.globStatus(p);
    if (matches == null || matches.length == 0) {
      throw new BadInputException(path + ": no such file or directory");
    }
    List<FileStatus> files = new ArrayList<>();
    for (FileStatus m : matches) {
      if (m.isFile()) {
        files.add(m);
      } else {
        for (FileStatus child : fs.listStatus(m.getPath())) {
          if (child.isFile() && inFolder.test(child.getPath().getName())) {
            files.add(child);
          }
        }
      }
    }
    if (files.isEmpty()) {
      throw new BadInputException(path + ": no " + what + " found");
    }
    files.sort(Comparator.comparing(f -> f.getPath().toString()));
    return files;
  }

  /** Hidden and marker files ({@code .crc}, {@code _SUCCESS}) are not data. */
  static boolean visible(String name) {
    return !name.startsWith(".") && !name.startsWith("_");
  }
}
