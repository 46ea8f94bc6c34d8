package io.automerge.search;

/**
 * Where one evaluation of a multi-fidelity search sits: bracket {@code bracket} (its instance
 * number, in the order the search opened them), rung {@code rung} of the spec's {@link Fidelity},
 * scored on the first {@code samples} validation samples per task; {@code config} is the trial that
 * first evaluated this plan (the trial itself at its bracket's lowest rung).
 */
public record FidelityRung(int bracket, int rung, int samples, int config) {}
