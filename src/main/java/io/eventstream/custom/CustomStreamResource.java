package io.eventstream.custom;

import io.eventstream.access.AccessPolicy;
import io.eventstream.subscribe.ClientStream;
import io.eventstream.subscribe.ClientStreams;
import io.eventstream.subscribe.StreamRequest;
import io.eventstream.web.Problem;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code GET /streams/{name}}: serves the {@link StreamSource} bean named {@code name}. */
@Path("streams")
@RequestScoped
public class CustomStreamResource {

    private static final Logger LOG = Logger.getLogger(CustomStreamResource.class.getName());

    @Inject
    @Any
    Instance<StreamSource> sources;

    @Inject
    ClientStreams streams;

    @Inject
    AccessPolicy access;


    @GET
    @Path("{name}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void open(@PathParam("name") String name, @BeanParam StreamRequest request,
                     @Context UriInfo uri, @Context SseEventSink sink, @Context Sse sse) {
        Instance<StreamSource> named = sources.select(NamedLiteral.of(name));
        if (!named.isResolvable()) {
            throw new NotFoundException(Problem.response(Status.NOT_FOUND, "no custom stream is named '" + name + "'"));
        }
        StreamSource source = named.get();
        String user = request.reader(access).user();
        ClientStream stream = streams.open(sink, sse, null);
        try {
            source.open(new ScheduledClient(name, stream, sse, streams.scheduler(), uri.getQueryParameters(),
                    request.lastEventId(), user));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "eventstream: custom stream '" + name + "' failed to open; closing this client", e);
            stream.close();
        }
    }
}
