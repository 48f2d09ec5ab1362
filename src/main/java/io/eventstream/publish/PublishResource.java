package io.eventstream.publish;

import io.eventstream.access.AccessPolicy;
import io.eventstream.access.BearerToken;
import io.eventstream.event.ChannelName;
import io.eventstream.event.EventTooLargeException;
import io.eventstream.event.JsonData;
import io.eventstream.event.InvalidEventException;
import io.eventstream.web.Problem;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@code POST /events/{channel}}: publishes one event over HTTP, guarded by {@code eventstream.publish.token}. */
@Path("events")
@RequestScoped
public class PublishResource {

    private static final Logger LOG = Logger.getLogger(PublishResource.class.getName());

    @Inject
    EventSender sender;

    @Inject
    AccessPolicy access;

    @Inject
    @ConfigProperty(name = "eventstream.publish.token")
    Optional<String> token;

    @Inject
    @ConfigProperty(name = "eventstream.event.max-bytes", defaultValue = "65536")
    int maxBytes;

    @POST
    @Path("{channel: .+}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response publish(@PathParam("channel") String channel,
                            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                            InputStream body) throws IOException {
        Optional<Status> refusal = grantedBySignedToken(authorization, channel)
                ? Optional.empty() : PublishToken.refusal(token, authorization);
        if (refusal.isPresent()) {
            LOG.info(() -> "eventstream: refused an HTTP publish to '" + channel + "': "
                    + (refusal.get() == Status.FORBIDDEN ? "HTTP publishing is off, set eventstream.publish.token"
                    : "missing or wrong bearer token"));
            return refusal.get() == Status.FORBIDDEN
                    ? Problem.response(Status.FORBIDDEN, "HTTP publishing is off: eventstream.publish.token is not set")
                    : Problem.response(Status.UNAUTHORIZED, "send 'Authorization: Bearer <eventstream.publish.token>'");
        }
        if (!isJson(contentType)) {
            return Problem.response(Status.UNSUPPORTED_MEDIA_TYPE, "send the event as Content-Type: application/json");
        }
        ChannelName.require(channel);
        PublishRequest request = PublishRequest.parse(readAtMost(body, 2 * maxBytes + 1024));
        String id = sender.publish(channel, request.event(), request.data());
        return Response.accepted(JsonData.JSON.createObjectBuilder().add("id", id).build().toString()).build();
    }

    // A subscriber token (eventstream.subscribe.jwt.key) may carry a 'publish' claim granting channels.
    private boolean grantedBySignedToken(String authorization, String channel) {
        Optional<String> bearer = BearerToken.from(authorization);
        if (bearer.isEmpty() || bearer.get().chars().filter(c -> c == '.').count() != 2) {
            return false; // not a JWT: the shared publish token, or nothing
        }
        try {
            return access.tokenMayPublish(bearer.get(), ChannelName.require(channel));
        } catch (IllegalArgumentException e) {
            return false; // an invalid channel is refused below, with its reason
        }
    }

    private static boolean isJson(String contentType) {
        try {
            return contentType != null && MediaType.valueOf(contentType).isCompatible(MediaType.APPLICATION_JSON_TYPE);
        } catch (IllegalArgumentException e) {
            return false; // unparsable header
        }
    }

    // Reads the body without ever holding more than the limit: an oversized body is refused, not buffered.
    private static String readAtMost(InputStream body, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = body.read(chunk)) > 0) {
            if (out.size() + read > limit) {
                throw new EventTooLargeException("request body is larger than " + limit + " bytes");
            }
            out.write(chunk, 0, read);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
