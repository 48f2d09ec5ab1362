/**
 * Limits against hostile or runaway clients that are not about a single request's size: the publish rate per HTTP
 * publisher ({@link io.eventstream.core.limits.PublishRate}, a {@link io.eventstream.core.limits.TokenBucket} each),
 * the refusal that tells the client when to come back ({@link io.eventstream.core.limits.RetryLater}), and the
 * throttle that keeps a flood of refusals from flooding the log ({@link io.eventstream.core.limits.LogThrottle}).
 * Connections per address are counted where all streams are admitted, in {@code core.admission}.
 */
package io.eventstream.core.limits;
