package io.eventstream.it.probes;

import io.eventstream.api.EventSender;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/** Added to SecurityIT's WAR: application code announcing a permission change, as a user's own code would. */
@Path("permissions")
@RequestScoped
public class PermissionProbe {

    @Inject
    EventSender events;

    @POST
    public void changed(@QueryParam("user") String user, @QueryParam("channel") String channel) {
        events.channelPermissionChanged(user, channel);
    }
}
