package org.sparklinear.data;

import java.io.Serializable;

/**
 * One image file of a class folder.
 *
 * @param path the file's path on its file system, as error messages name it
 * @param source {@code class/file}, the example's name in predictions and in the validation split
 * @param label the class index
 */
record ImageFile(String path, String source, int label) implements Serializable {}
