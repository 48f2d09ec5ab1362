package io.eventstream.adapter.http;

import io.eventstream.core.event.JsonData;
import io.eventstream.core.hub.Hub;
import io.eventstream.core.publish.Outbound;
import io.eventstream.core.stream.SseStreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * {@code GET /status}: whether this node can publish and deliver, and what it holds; {@code 503} when the broker is
 * down, so it serves as a health check. It names no channel.
 */
@Path("status")
@ApplicationScoped
public class StatusResource {

    @Inject
    Outbound topic;

    @Inject
    SseStreams streams;

    @Inject
    Hub hub;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response status() {
        Optional<String> failure = topic.failure();
        JsonObjectBuilder body = JsonData.JSON.createObjectBuilder()
                .add("status", failure.isEmpty() ? "UP" : "DOWN")
                .add("broker", topic.broker())
                .add("connections", streams.count())
                .add("channels", hub.channelCount())
                .add("subscriptions", hub.subscriptionCount())
                .add("retainedEvents", hub.retained())
                .add("writerThreads", streams.writerThreads());
        topic.eventLog().ifPresent(log -> body.add("eventLog", log));
        failure.ifPresent(reason -> body.add("reason", reason));
        return Response.status(failure.isEmpty() ? 200 : 503).entity(body.build().toString()).build();
    }
}
