package io.eventstream.it.app;

import io.eventstream.api.Channels;
import io.eventstream.api.EventSender;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Map;

/** The README's examples, as an application writes them: publish with {@code EventSender}, stream with {@code Channels}. */
@Path("prices")
@RequestScoped
public class PriceResource {

    @Inject
    EventSender events;

    @Inject
    Channels channels;

    /** Publishes a price; answers with the event's id. */
    @POST
    @Produces(MediaType.TEXT_PLAIN)
    public String publish(@QueryParam("sku") String sku, @QueryParam("cents") int cents) {
        return events.send("prices", "price", Map.of("sku", sku, "cents", cents));
    }

    /** The channel as the application's own SSE resource: a real JAX-RS {@code SseBroadcaster}. */
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void prices(@Context SseEventSink sink) {
        channels.broadcaster("prices").register(sink);
    }

    /** The same, resuming after the client's {@code Last-Event-ID}. */
    @GET
    @Path("resume")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void resume(@Context SseEventSink sink, @HeaderParam("Last-Event-ID") String lastEventId) {
        channels.register("prices", sink, lastEventId);
    }

    /** One of the application's own plain resources. */
    @GET
    @Path("hello")
    @Produces(MediaType.TEXT_PLAIN)
    public String hello() {
        return "api ok";
    }
}
