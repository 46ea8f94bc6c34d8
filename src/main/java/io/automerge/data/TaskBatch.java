package io.automerge.data;

import ai.djl.ndarray.NDArray;

/**
 * Inputs and labels of one batch, living in the manager they were created in.
 *
 * @param samples number of examples (images or text windows) in the batch
 */
public record TaskBatch(NDArray inputs, NDArray labels, int samples) {}
