package org.sparklinear.model;

/**
 * One image's prediction.
 *
 * @param probabilities class probabilities, or null for losses without them (hinge)
 */
public record Prediction(int classIndex, String className, double[] scores, double[] probabilities) {}
