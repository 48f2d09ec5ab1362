package io.eventstream.subscribe;

import io.eventstream.access.AccessPolicy;
import io.eventstream.access.Reader;
import io.eventstream.event.EventIds;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The SSE endpoint: {@code GET /events?channel=a&channel=b} and {@code GET /events/{channel}}. */
@WebFilter(urlPatterns = {"/events", "/events/*"}, asyncSupported = true)
public class EventStreamFilter extends StreamFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient Delivery delivery;

    @Inject
    transient AccessPolicy access;

    @Inject
    @ConfigProperty(name = "eventstream.channels.max-per-connection", defaultValue = "10")
    int maxChannels;

    public EventStreamFilter() {
        super("/events");
    }

    // Validation and access checks happen here, before the stream: a refused request gets its 4xx (JSON) before
    // any byte of stream.
    @Override
    protected void open(String path, StreamRequest stream, HttpServletRequest request, HttpServletResponse response) {
        List<String> channels = path.isEmpty() ? stream.parameters("channel") : List.of(path.substring(1));
        Subscription subscription = Subscription.parse(channels, maxChannels);
        String lastEventId = stream.lastEventId();
        if (lastEventId != null) {
            EventIds.requireResumable(lastEventId);
        }
        Reader reader = stream.reader(access);
        access.requireReadable(reader, subscription.channels());
        delivery.subscribe(subscription, lastEventId, reader, () -> {
            try {
                return ServletConnection.start(request, response);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
