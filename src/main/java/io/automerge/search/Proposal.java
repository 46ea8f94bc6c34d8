package io.automerge.search;

/** What {@code ask} hands out: the trial number to report back with, and the plan to run. */
public record Proposal(int trialNumber, TrialPlan plan) {}
