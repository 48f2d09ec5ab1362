package io.eventstream.publish;

import io.eventstream.access.AccessPolicy;
import io.eventstream.access.BearerToken;
import io.eventstream.event.ChannelName;
import io.eventstream.event.EventTooLargeException;
import io.eventstream.event.InvalidEventException;
import io.eventstream.event.JsonData;
import io.eventstream.web.EndpointFilter;
import io.eventstream.web.Problem;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@code POST /events/{channel}}: publishes one event over HTTP, guarded by {@code eventstream.publish.token}. */
// Async like every filter on /events/*: a request passes through all of them, and a stream needs each to allow it.
@WebFilter(urlPatterns = "/events/*", asyncSupported = true)
public class PublishFilter extends EndpointFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(PublishFilter.class.getName());

    @Inject
    transient EventSender sender;

    @Inject
    transient AccessPolicy access;

    @Inject
    @ConfigProperty(name = "eventstream.publish.token")
    transient Optional<String> token;

    @Inject
    @ConfigProperty(name = "eventstream.event.max-bytes", defaultValue = "65536")
    int maxBytes;

    public PublishFilter() {
        super("POST", "/events", false);
    }

    @Override
    protected void handle(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String channel = path.substring(1);
        String authorization = request.getHeader("Authorization");
        Optional<Status> refusal = grantedBySignedToken(authorization, channel)
                ? Optional.empty() : PublishToken.refusal(token, authorization);
        if (refusal.isPresent()) {
            LOG.info(() -> "eventstream: refused an HTTP publish to '" + channel + "': "
                    + (refusal.get() == Status.FORBIDDEN ? "HTTP publishing is off, set eventstream.publish.token"
                    : "missing or wrong bearer token"));
            (refusal.get() == Status.FORBIDDEN
                    ? Problem.of(403, "HTTP publishing is off: eventstream.publish.token is not set")
                    : Problem.of(401, "send 'Authorization: Bearer <eventstream.publish.token>'")).writeTo(response);
            return;
        }
        if (!isJson(request.getContentType())) {
            Problem.of(415, "send the event as Content-Type: application/json").writeTo(response);
            return;
        }
        ChannelName.require(channel);
        PublishRequest event = PublishRequest.parse(readAtMost(request.getInputStream(), 2 * maxBytes + 1024));
        String id = sender.publish(channel, event.event(), event.data());
        byte[] body = JsonData.JSON.createObjectBuilder().add("id", id).build().toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_ACCEPTED);
        response.setContentType(MediaType.APPLICATION_JSON);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
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
            throw new InvalidEventException("the Content-Type header is malformed: send Content-Type: application/json");
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
