package io.eventstream.web;

import io.eventstream.broker.Broker;
import io.eventstream.subscribe.ChannelBroadcasters;
import io.eventstream.subscribe.ClientStreams;
import io.eventstream.subscribe.Delivery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * {@code GET /status}: whether this node can publish and deliver, and what it holds; {@code 503} when the broker
 * is down, so it serves as a health check. It names no channel.
 */
@Path("status")
@ApplicationScoped
public class StatusResource {

    @Inject
    Broker broker;

    @Inject
    ClientStreams streams;

    @Inject
    ChannelBroadcasters broadcasters;

    @Inject
    Delivery delivery;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response status() {
        Optional<String> failure = broker.failure();
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("status", failure.isEmpty() ? "UP" : "DOWN")
                .add("broker", broker.mode())
                .add("connections", streams.count())
                .add("channels", broadcasters.channelCount())
                .add("subscriptions", broadcasters.subscriptionCount())
                .add("retainedEvents", delivery.retained())
                .add("writerThreads", streams.writerThreads());
        failure.ifPresent(reason -> body.add("reason", reason));
        return Response.status(failure.isEmpty() ? 200 : 503).entity(body.build().toString()).build();
    }
}
