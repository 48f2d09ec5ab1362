package io.eventstream.adapter.http;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.access.AccessPolicy;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelName;
import io.eventstream.core.event.JsonData;
import io.eventstream.core.publish.EventPublisher;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** {@code POST /events/{channel}}: publishes one event over HTTP, for who the access policy allows. */
// Async like every filter on /events/*: a request passes through all of them, and a stream needs each to allow it.
@WebFilter(urlPatterns = "/events/*", asyncSupported = true)
public class PublishFilter extends EndpointFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient EventPublisher publisher;

    @Inject
    transient AccessPolicy access;

    @Inject
    transient Settings settings;

    public PublishFilter() {
        super("POST", "/events", false);
    }

    @Override
    protected void handle(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String channel = path.substring(1);
        access.requirePublishable(request.getHeader("Authorization"), channel);
        if (!isJson(request.getContentType())) {
            throw new EventStreamException(Refusal.UNSUPPORTED_MEDIA_TYPE, "send the event as Content-Type: application/json");
        }
        ChannelName.require(channel);
        PublishRequest event = PublishRequest.parse(readAtMost(request.getInputStream(), 2 * settings.maxEventBytes() + 1024));
        String id = publisher.publish(channel, event.event(), event.data());
        byte[] body = JsonData.JSON.createObjectBuilder().add("id", id).build().toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_ACCEPTED);
        response.setContentType(MediaType.APPLICATION_JSON);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static boolean isJson(String contentType) {
        try {
            return contentType != null && MediaType.valueOf(contentType).isCompatible(MediaType.APPLICATION_JSON_TYPE);
        } catch (IllegalArgumentException e) {
            throw new EventStreamException(Refusal.BAD_REQUEST,
                    "the Content-Type header is malformed: send Content-Type: application/json");
        }
    }

    // Reads the body without ever holding more than the limit: an oversized body is refused, not buffered.
    private static String readAtMost(InputStream body, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = body.read(chunk)) > 0) {
            if (out.size() + read > limit) {
                throw new EventStreamException(Refusal.TOO_LARGE, "request body is larger than " + limit + " bytes");
            }
            out.write(chunk, 0, read);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
