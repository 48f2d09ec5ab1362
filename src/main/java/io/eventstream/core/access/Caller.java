package io.eventstream.core.access;

/**
 * Who is asking to read: the user, if known, the subscriber token they presented, if any, and where they connect from.
 *
 * @param user    the container's authenticated user or the token's subject; null for anonymous
 * @param token   the verified subscriber token, or null
 * @param address the client's address (after trusted proxies), which anonymous streams are counted by; null when
 *                there is none to count by (an application's own {@code SseEventSink}, the admin page)
 */
public record Caller(String user, SubscriberToken token, String address) {

    /** An anonymous reader without a token, from no address that is counted. */
    public static final Caller ANONYMOUS = new Caller(null, null, null);

    /** A reader from no address that is counted. */
    public Caller(String user, SubscriberToken token) {
        this(user, token, null);
    }

    /** The same reader, connecting from {@code address}. */
    public Caller from(String address) {
        return new Caller(user, token, address);
    }
}
