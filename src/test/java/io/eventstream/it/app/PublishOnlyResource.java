package io.eventstream.it.app;

import io.eventstream.api.EventSender;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** The publish-only application's resource: sends through a hub that runs elsewhere, on the same broker. */
@Path("report")
@RequestScoped
public class PublishOnlyResource {

    @Inject
    EventSender events;

    @POST
    @Produces(MediaType.TEXT_PLAIN)
    public String report(@QueryParam("channel") String channel, @QueryParam("n") int n) {
        return events.send(channel, "report", Map.of("n", n));
    }
}
