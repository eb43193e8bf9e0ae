package org.sparklinear.data;

import java.io.Serializable;

/** Channels, height and width of every image in a dataset; pixels are stored as channel planes. */
public record ImageShape(int channels, int height, int width) implements Serializable {

  public ImageShape {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("images must have 1 or 3 channels, got " + channels);
    }
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
    }
    if ((long) channels * height * width > Integer.MAX_VALUE / 16) {
      throw new IllegalArgumentException("image shape " + channels + "x" + height + "x" + width + " is too large");
    }
  }

  /** CIFAR-10: 3 x 32 x 32. */
  public static final ImageShape CIFAR10 = new ImageShape(3, 32, 32);

  public int features() {
    return channels * height * width;
  }

  /** Parses {@code WIDTHxHEIGHT}, as given to {@code --image-size}. */
  public static ImageShape parseSize(String size, int channels) {
    String[] parts = size.trim().toLowerCase().split("x");
    try {
      if (parts.length == 2) {
        return new ImageShape(channels, Integer.parseInt(parts[1]), Integer.parseInt(parts[0]));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("image size '" + size + "' is not of the form WIDTHxHEIGHT, e.g. 32x32");
  }

  @Override
  public String toString() {
    return channels + "x" + height + "x" + width;
  }
}
