package io.eventstream.adapter.http;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.access.AccessPolicy;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelName;
import io.eventstream.core.event.JsonData;
import io.eventstream.core.limits.PublishRate;
import io.eventstream.core.publish.EventDraft;
import io.eventstream.core.publish.EventPublisher;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * HTTP publishing, for who the access policy allows: {@code POST /events/{channel}} publishes one event,
 * {@code POST /events} a batch. The request is held (Servlet async mode) while the broker confirms, so no thread
 * waits for the broker; the answer, {@code 202} with the ids or the problem, is written by whichever thread
 * completes the send.
 */
public class PublishFilter extends EndpointFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(PublishFilter.class.getName());
    // Longer than the broker's confirmation may take (JmsLink), so that the send, not the container, ends the request.
    private static final long ANSWER_TIMEOUT_MILLIS = 60_000;

    @Inject
    transient EventPublisher publisher;

    @Inject
    transient AccessPolicy access;

    @Inject
    transient Settings settings;

    @Inject
    transient PublishRate rate;

    public PublishFilter() {
        super("POST", "/events");
    }

    // Everything that can refuse the request runs first, on the request's thread: a refusal is answered at once
    // and nothing is sent. The publish rate is counted last, once the request is known to be publishable, so a
    // refused or malformed request costs its publisher nothing, and a batch is refused whole or counted whole.
    @Override
    protected void handle(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String authorization = request.getHeader("Authorization");
        if (path.isEmpty()) {
            if (!isJson(request.getContentType())) {
                throw new EventStreamException(Refusal.UNSUPPORTED_MEDIA_TYPE, "send the batch as Content-Type: application/json");
            }
            int limit = settings.maxBatchBytes();
            List<EventDraft> batch = PublishBody.batch(readAtMost(request.getInputStream(), limit,
                    " (eventstream.publish.max-batch-bytes)"), publisher::requireBatchSize);
            String sender = null;
            for (int i = 0; i < batch.size(); i++) {
                String channel = batch.get(i).channel();
                sender = EventPublisher.item(i, () -> access.requirePublishable(authorization, channel));
            }
            rate.take(sender, batch.size()); // last: only a request that would be published counts
            answer(request, response, publisher.publishAll(batch), PublishFilter::idsBody);
        } else {
            String channel = path.substring(1);
            String sender = access.requirePublishable(authorization, channel);
            if (!isJson(request.getContentType())) {
                throw new EventStreamException(Refusal.UNSUPPORTED_MEDIA_TYPE, "send the event as Content-Type: application/json");
            }
            ChannelName.require(channel);
            EventDraft event = PublishBody.one(readAtMost(request.getInputStream(), 2 * settings.maxEventBytes() + 1024, ""), channel);
            rate.take(sender, 1);
            answer(request, response, publisher.publish(event), PublishFilter::idBody);
        }
    }

    // Holds the request until the broker has confirmed, then answers on the confirming thread: the answer is a few
    // dozen bytes with their length set, which the container buffers, so writing it does not wait on the client.
    private <T> void answer(HttpServletRequest request, HttpServletResponse response, CompletionStage<T> sent,
                                   Function<T, JsonObject> body) {
        AsyncContext held = request.startAsync();
        held.setTimeout(ANSWER_TIMEOUT_MILLIS);
        sent.whenComplete((result, failure) -> {
            try {
                if (failure == null) {
                    JsonAnswer.write(response, HttpServletResponse.SC_ACCEPTED, body.apply(result).toString());
                } else {
                    Problem.of(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure)
                            .writeTo(response, refused);
                }
            } catch (IOException | RuntimeException e) {
                // The publish's outcome stands; only its answer was lost (the client left, or the request timed out).
                LOG.log(Level.FINE, "eventstream: could not answer a publish", e);
            } finally {
                try {
                    held.complete();
                } catch (IllegalStateException alreadyEnded) {
                    LOG.log(Level.FINE, "eventstream: a publish's request ended before its answer", alreadyEnded);
                }
            }
        });
    }

    private static JsonObject idBody(String id) {
        return JsonData.JSON.createObjectBuilder().add("id", id).build();
    }

    private static JsonObject idsBody(List<String> ids) {
        JsonArrayBuilder array = JsonData.JSON.createArrayBuilder();
        ids.forEach(array::add);
        return JsonData.JSON.createObjectBuilder().add("ids", array).build();
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
    private static String readAtMost(InputStream body, int limit, String key) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = body.read(chunk)) > 0) {
            if (out.size() + read > limit) {
                throw new EventStreamException(Refusal.TOO_LARGE, "request body is larger than " + limit + " bytes" + key);
            }
            out.write(chunk, 0, read);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
