package io.eventstream.core.access;

import java.time.Instant;

/**
 * What a verified token says: whose it is, which channels it may read and publish to, and until when.
 *
 * @param user      the {@code sub} claim, or null
 * @param read      the {@code channels} claim
 * @param publish   the {@code publish} claim
 * @param expiresAt the {@code exp} claim, or null for a token that does not expire
 */
public record SubscriberToken(String user, ChannelPatterns read, ChannelPatterns publish, Instant expiresAt) {
}
