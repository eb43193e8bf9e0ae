package org.sparklinear.train;

/**
 * Everything the training loop needs to continue exactly where it was: the next step to run, the weights and the
 * optimiser's state (velocity, moment estimates) after the last completed step, the early-stopping state, and fingerprints of the
 * configuration and data it belongs to. The minibatch order needs no saved RNG state: it is a pure function of
 * (seed, epoch, partition), so (epoch, step) is its position.
 *
 * @param epoch epoch of the next step to run (0-based)
 * @param stepInEpoch the next step within that epoch (0-based)
 * @param globalStep steps completed so far
 * @param averageState the iterate average ({@link org.sparklinear.optim.IterateAverage#state}); null without one
 */
public record Checkpoint(String configHash, String dataFingerprint, int epoch, int stepInEpoch, long globalStep,
    double[] parameters, double[] optimizerState, double bestAccuracy, double[] bestParameters,
    int epochsWithoutImprovement, double initialLoss, double[] averageState) {}
