package io.eventstream.subscribe;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The SSE endpoint: {@code GET /events?channel=a&channel=b} and {@code GET /events/{channel}}. */
@Path("events")
@RequestScoped
public class EventStreamResource {

    @Inject
    ClientStreams streams;

    @Inject
    ChannelBroadcasters broadcasters;

    @Inject
    @ConfigProperty(name = "eventstream.channels.max-per-connection", defaultValue = "10")
    int maxChannels;


    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void subscribe(@QueryParam("channel") List<String> channels, @Context SseEventSink sink, @Context Sse sse) {
        open(Subscription.parse(channels, maxChannels), sink, sse);
    }

    @GET
    @Path("{channel: .+}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void subscribeOne(@PathParam("channel") String channel, @Context SseEventSink sink, @Context Sse sse) {
        open(Subscription.parse(List.of(channel), maxChannels), sink, sse);
    }

    // Validation happens before this point: a refused request gets its 4xx before any byte of stream.
    private void open(Subscription subscription, SseEventSink sink, Sse sse) {
        ClientStream stream = streams.open(sink, sse);
        for (String channel : subscription.channels()) {
            broadcasters.join(channel, stream, sse);
        }
        stream.onClose(() -> subscription.channels().forEach(channel -> broadcasters.leave(channel, stream)));
    }
}
