package org.sparklinear.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.BadInputException;

/**
 * The layout {@code root/<class>/<image files>} once listed, whoever listed it: the classes (the folders' names in
 * order, or the model's classes) and every image file with its label, in class then file name order. Both image
 * readers plan through here, so they agree on classes, labels, order, the first image's size and what is refused.
 */
final class ClassFolders {
  private static final Logger LOG = LoggerFactory.getLogger(ClassFolders.class);

  private ClassFolders() {}

  /**
   * A class folder as listed.
   *
   * @param files the folder's files, name to path
   * @param otherEntries its entries that are neither files nor hidden (sub-folders)
   */
  record Listed(String name, String path, SortedMap<String, String> files, int otherEntries) {}

  /** The classes and the image files, in the order every reader gives them. */
  record Plan(List<String> classNames, List<ImageFile> files) {}

  /** The root's file system, once the root is known to be a directory. */
  static FileSystem requireDirectory(String path, Configuration conf) throws IOException {
    Path root = new Path(path);
    FileSystem fs = root.getFileSystem(conf);
    if (!fs.exists(root)) {
      throw new BadInputException(path + ": no such directory");
    }
    if (!fs.getFileStatus(root).isDirectory()) {
      throw new BadInputException(path + ": an image dataset is a directory of class folders, this is a file");
    }
    return fs;
  }

  static Plan plan(String path, List<Listed> listed, ReadOptions options) {
    List<Listed> folders = listed.stream().sorted(Comparator.comparing(Listed::name)).toList();
    if (folders.isEmpty()) {
      throw new BadInputException(path + ": no class folders (expected " + path + "/<class>/<image files>)");
    }
    List<String> folderNames = folders.stream().map(Listed::name).toList();
    List<String> classNames = options.classNames() != null ? options.classNames() : folderNames;
    if (options.classNames() == null && classNames.size() < 2) {
      throw new BadInputException(path + ": found only the class folder " + folderNames
          + "; a classifier needs at least 2");
    }
    List<ImageFile> files = new ArrayList<>();
    int ignored = 0;
    for (Listed folder : folders) {
      int label = classNames.indexOf(folder.name());
      if (label < 0) {
        throw new BadInputException(folder.path() + ": class '" + folder.name() + "' is not one of the model's classes "
            + classNames);
      }
      int before = files.size();
      for (var file : folder.files().entrySet()) {
        String name = file.getKey();
        if (ImageDecoder.hasImageExtension(name)) {
          files.add(new ImageFile(file.getValue(), folder.name() + "/" + name, label));
        } else if (!name.startsWith(".")) {
          ignored++;
        }
      }
      ignored += folder.otherEntries();
      if (files.size() == before) {
        throw new BadInputException(folder.path() + ": class folder has no images (." + String.join(", .",
            ImageDecoder.EXTENSIONS.stream().sorted().toList()) + ")");
      }
    }
    if (ignored > 0) {
      LOG.warn("{}: ignored {} entries in class folders that are not image files", path, ignored);
    }
    return new Plan(classNames, files);
  }

  /** {@code --image-size} and {@code --channels}, or the first image's size read from its header. */
  static ImageShape shape(Plan plan, FileSystem fs, ReadOptions options) throws IOException {
    if (options.imageSize() != null) {
      return ImageShape.parseSize(options.imageSize(), options.channels());
    }
    ImageFile first = plan.files().get(0);
    byte[] encoded;
    try (InputStream in = fs.open(new Path(first.path()))) {
      encoded = in.readAllBytes();
    }
    int[] size = ImageDecoder.readSize(encoded, first.path(), options.maxImagePixels());
    return new ImageShape(options.channels(), size[1], size[0]);
  }
}
