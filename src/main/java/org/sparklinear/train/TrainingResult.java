package org.sparklinear.train;

import java.util.List;
import org.sparklinear.linalg.LinearWeights;

/**
 * The outcome of a run.
 *
 * @param weights the final weights: those of the best validation epoch when early stopping is on
 * @param initialLoss the data loss of the first minibatch, before any update
 */
public record TrainingResult(LinearWeights weights, List<EpochRecord> epochs, long steps, double initialLoss,
    double validationAccuracy, boolean stoppedEarly, double seconds) {}
