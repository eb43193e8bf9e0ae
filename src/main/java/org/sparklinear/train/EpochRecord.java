package org.sparklinear.train;

/** What one epoch did, as logged and stored in the model's metadata. */
public record EpochRecord(int epoch, long steps, double learningRate, double trainLoss, double validationAccuracy,
    double seconds) {}
