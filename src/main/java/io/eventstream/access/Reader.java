package io.eventstream.access;

/**
 * Who is reading a stream: the user, if known, and the token they presented, if any.
 *
 * @param user  the container's authenticated user or the token's subject; null for anonymous
 * @param token the verified subscriber token, or null
 */
public record Reader(String user, SubscriberToken token) {

    /** An anonymous reader without a token. */
    public static final Reader ANONYMOUS = new Reader(null, null);
}
