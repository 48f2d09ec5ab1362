package io.eventstream.adapter.http;

import io.eventstream.api.EventStreamException;
import io.eventstream.api.Refusal;
import io.eventstream.core.access.AccessPolicy;
import io.eventstream.core.access.Caller;
import io.eventstream.core.event.ChannelName;
import io.eventstream.core.event.JsonData;
import io.eventstream.core.presence.ClusterPresence;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * {@code GET /channels/{channel}}: how many streams read the channel across the cluster,
 * {@code {"channel":"...","subscribers":N}}. Asked like a subscription (token, authorizer, public channels): only a
 * reader of the channel learns its count, so the answer never tells anyone else a channel is in use.
 */
public class PresenceFilter extends EndpointFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient AccessPolicy access;

    @Inject
    transient ClusterPresence presence;

    public PresenceFilter() {
        super("GET", "/channels");
    }

    @Override
    protected void handle(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (path.length() <= 1) {
            throw new EventStreamException(Refusal.NOT_FOUND, "name the channel: GET channels/{channel}");
        }
        String channel = ChannelName.require(path.substring(1));
        Caller who = StreamRequest.of(request).identify(access);
        access.requireReadable(who, List.of(channel));
        String body = JsonData.JSON.createObjectBuilder()
                .add("channel", channel)
                .add("subscribers", presence.subscribers(channel))
                .build().toString();
        response.setHeader("Cache-Control", "no-cache");
        JsonAnswer.write(response, 200, body);
    }
}
