package io.eventstream.subscribe;

import io.eventstream.event.EventIds;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
    Delivery delivery;

    @Inject
    @ConfigProperty(name = "eventstream.channels.max-per-connection", defaultValue = "10")
    int maxChannels;


    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void subscribe(@QueryParam("channel") List<String> channels, @HeaderParam("Last-Event-ID") String lastEventId,
                          @QueryParam("lastEventId") String lastEventIdParam, @Context SseEventSink sink, @Context Sse sse) {
        open(Subscription.parse(channels, maxChannels), lastEventId, lastEventIdParam, sink, sse);
    }

    @GET
    @Path("{channel: .+}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void subscribeOne(@PathParam("channel") String channel, @HeaderParam("Last-Event-ID") String lastEventId,
                             @QueryParam("lastEventId") String lastEventIdParam, @Context SseEventSink sink, @Context Sse sse) {
        open(Subscription.parse(List.of(channel), maxChannels), lastEventId, lastEventIdParam, sink, sse);
    }

    // Validation happens here, before the stream: a refused request gets its 4xx before any byte of stream.
    // The header wins over the query parameter: a browser reconnecting on its own reuses the URL of the first
    // connection but sends the newest id in the header.
    private void open(Subscription subscription, String header, String parameter, SseEventSink sink, Sse sse) {
        String lastEventId = header != null && !header.isEmpty() ? header : parameter;
        if (lastEventId != null && lastEventId.isEmpty()) {
            lastEventId = null;
        }
        delivery.subscribe(subscription, lastEventId == null ? null : EventIds.requireResumable(lastEventId), sink, sse);
    }
}
