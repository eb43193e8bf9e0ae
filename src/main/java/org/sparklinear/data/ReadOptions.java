package org.sparklinear.data;

import java.io.Serializable;

/**
 * How to read a dataset.
 *
 * @param format null to detect from the path
 * @param partitions how many partitions the rows are spread over
 * @param imageSize {@code WIDTHxHEIGHT} for image folders, or null for the size of the first image
 * @param channels 3 (RGB) or 1 (grey) for image folders
 * @param skipBadImages skip and count undecodable images instead of failing
 * @param maxImagePixels images declaring more pixels than this are refused from their header
 * @param classNames when not null, the classes a model already knows: labels are mapped by these names
 */
public record ReadOptions(DataFormat format, int partitions, String imageSize, int channels, boolean skipBadImages,
    long maxImagePixels, java.util.List<String> classNames) implements Serializable {

  public ReadOptions {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    if (maxImagePixels < 1) {
      throw new IllegalArgumentException("max image pixels must be at least 1, got " + maxImagePixels);
    }
  }

  public ReadOptions withClassNames(java.util.List<String> names) {
    return new ReadOptions(format, partitions, imageSize, channels, skipBadImages, maxImagePixels, names);
  }

  public ReadOptions withImageSize(String size, int channelCount) {
    return new ReadOptions(format, partitions, size, channelCount, skipBadImages, maxImagePixels, classNames);
  }
}
