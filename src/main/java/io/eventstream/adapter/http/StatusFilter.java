package io.eventstream.adapter.http;

import io.eventstream.core.event.JsonData;
import io.eventstream.core.hub.Hub;
import io.eventstream.core.publish.Outbound;
import io.eventstream.core.stream.SseStreams;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code GET /status}: whether this node can publish and deliver, and what it holds; {@code 503} when the broker is
 * down or the node is still catching up from the event log, so it serves as a health check. It names no channel.
 */
public class StatusFilter extends EndpointFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient Outbound topic;

    @Inject
    transient SseStreams streams;

    @Inject
    transient Hub hub;

    public StatusFilter() {
        super("GET", "/status");
    }

    @Override
    protected void handle(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        requireNothingBelow(path);
        Optional<String> failure = topic.failure().or(hub::catchingUp);
        JsonObjectBuilder body = JsonData.JSON.createObjectBuilder()
                .add("status", failure.isEmpty() ? "UP" : "DOWN")
                .add("broker", topic.broker())
                .add("connections", streams.count())
                .add("channels", hub.channelCount())
                .add("subscriptions", hub.subscriptionCount())
                .add("patternSubscriptions", hub.patternSubscriptionCount())
                .add("retainedEvents", hub.retained())
                .add("writerThreads", streams.writerThreads());
        topic.eventLog().ifPresent(log -> body.add("eventLog", log));
        failure.ifPresent(reason -> body.add("reason", reason));
        response.setHeader("Cache-Control", "no-cache");
        JsonAnswer.write(response, failure.isEmpty() ? 200 : 503, body.build().toString());
    }
}
