package io.eventstream.core.access;

/**
 * Who is asking to read: the user, if known, and the subscriber token they presented, if any.
 *
 * @param user  the container's authenticated user or the token's subject; null for anonymous
 * @param token the verified subscriber token, or null
 */
public record Caller(String user, SubscriberToken token) {

    /** An anonymous reader without a token. */
    public static final Caller ANONYMOUS = new Caller(null, null);
}
