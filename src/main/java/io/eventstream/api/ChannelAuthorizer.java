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
}
