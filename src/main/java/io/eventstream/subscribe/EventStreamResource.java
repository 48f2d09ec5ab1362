package io.eventstream.subscribe;

import io.eventstream.access.AccessPolicy;
import io.eventstream.access.Reader;
import io.eventstream.event.EventIds;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
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
    Delivery delivery;

    @Inject
    @ConfigProperty(name = "eventstream.channels.max-per-connection", defaultValue = "10")
    int maxChannels;


    @Inject
    AccessPolicy access;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void subscribe(@QueryParam("channel") List<String> channels, @BeanParam StreamRequest request,
                          @Context SseEventSink sink, @Context Sse sse) {
        open(Subscription.parse(channels, maxChannels), request, sink, sse);
    }

    @GET
    @Path("{channel: .+}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void subscribeOne(@PathParam("channel") String channel, @BeanParam StreamRequest request,
                             @Context SseEventSink sink, @Context Sse sse) {
        open(Subscription.parse(List.of(channel), maxChannels), request, sink, sse);
    }

    // Validation and access checks happen here, before the stream: a refused request gets its 4xx (JSON) before
    // any byte of stream.
    private void open(Subscription subscription, StreamRequest request, SseEventSink sink, Sse sse) {
        String lastEventId = request.lastEventId();
        if (lastEventId != null) {
            EventIds.requireResumable(lastEventId);
        }
        Reader reader = request.reader(access);
        access.requireReadable(reader, subscription.channels());
        delivery.subscribe(subscription, lastEventId, reader, sink, sse);
    }
}
