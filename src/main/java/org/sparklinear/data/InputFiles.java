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

  /**
   * What each file's examples are named by (LibSVM {@code NAME:line}, CIFAR-10 {@code NAME#record}): its path below
   * the files' deepest common folder, so
   * a single file or a folder of files gives bare file names and a glob over folders keeps the folders that tell its
   * files apart. Never the absolute path: the validation split hashes the names, and the same files read from another
   * folder or file system must split, and so train, the same way.
   */
  static List<String> exampleNames(List<String> files) {
    List<String[]> parts = new ArrayList<>();
    for (String f : files) {
      parts.add(new Path(f).toUri().getPath().split("/"));
    }
    int common = parts.get(0).length - 1; // folders shared by every file, at most all of the first file's
    for (String[] p : parts) {
      int i = 0;
      while (i < common && i < p.length - 1 && p[i].equals(parts.get(0)[i])) {
        i++;
      }
      common = i;
    }
    List<String> names = new ArrayList<>();
    for (String[] p : parts) {
      names.add(String.join("/", java.util.Arrays.copyOfRange(p, common, p.length)));
    }
    return names;
  }

  /** Hidden and marker files ({@code .crc}, {@code _SUCCESS}) are not data. */
  static boolean visible(String name) {
    return !name.startsWith(".") && !name.startsWith("_");
  }
}
