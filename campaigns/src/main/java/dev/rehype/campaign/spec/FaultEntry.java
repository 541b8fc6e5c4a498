package dev.rehype.campaign.spec;

/**
 * One line of a campaign's fault mix: a fault type with either a weight (runs draw their type in
 * proportion to the weights) or a count (exactly that many runs), and its trigger window.
 * The unused one of {@code weight} and {@code count} is 0.
 */
public record FaultEntry(FaultType type, double weight, long count, TriggerWindow trigger) {
}
