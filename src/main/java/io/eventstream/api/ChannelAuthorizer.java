package io.eventstream.api;

/**
 * Implemented by the application, as a CDI bean in its WAR, to decide who may read which channel (django-eventstream's
 * {@code can_read_channel}); picked up with no configuration, and without one every channel is readable.
 *
 * <p>It is asked when a client subscribes or resumes, for each channel of the connection, and again for the
 * open streams of a user after {@code EventSender.channelPermissionChanged}. It is called on request threads
 * and on the topic listener's thread: keep it fast and thread-safe.
 */
public interface ChannelAuthorizer {

    /**
     * @param user    the name of the authenticated user (the container's, or a subscriber token's {@code sub}),
     *                or null for an anonymous client
     * @param channel a valid channel name
     * @return whether {@code user} may read {@code channel}
     */
    boolean canRead(String user, String channel);

    /**
     * Whether {@code user} may subscribe to a channel pattern such as {@code user/alice/*}: answer true only if they
     * may read <em>every</em> channel it can ever match, including channels that do not exist yet (the stream gets
     * their events without asking again). Asked when a client subscribes or resumes with a pattern, and again after
     * {@code EventSender.channelPermissionChanged} for the user (with any channel the pattern matches).
     *
     * <p>By default no pattern is readable: an authorizer written before patterns existed only knows how to judge
     * one channel at a time, and allowing what it never saw would be unsafe. Override it to allow patterns.
     *
     * @param user    as for {@link #canRead}
     * @param pattern a valid pattern: a channel name's characters ending in one {@code *}, e.g. {@code user/alice/*}
     *                or {@code course-state*}; {@code *} alone only with {@code eventstream.channels.allow-all-pattern}
     * @return whether {@code user} may read every channel {@code pattern} matches
     */
    default boolean canReadPattern(String user, String pattern) {
        return false;
    }
}
