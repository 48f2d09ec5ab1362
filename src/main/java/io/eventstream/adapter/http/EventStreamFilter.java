package io.eventstream.adapter.http;

import io.eventstream.api.EventStreamException;
import io.eventstream.api.Refusal;
import io.eventstream.core.access.AccessPolicy;
import io.eventstream.core.access.Caller;
import io.eventstream.core.admission.Admission;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelPattern;
import io.eventstream.core.event.EventIds;
import io.eventstream.core.hub.Hub;
import io.eventstream.core.hub.ChannelSelection;
import io.eventstream.core.stream.SseStream;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;

/** The SSE endpoint: {@code GET /events?channel=a&channel=b} and {@code GET /events/{channel}}. */
public class EventStreamFilter extends EndpointFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient Hub hub;

    @Inject
    transient Admission admission;

    @Inject
    transient AccessPolicy access;

    @Inject
    transient ClientAddresses addresses;

    @Inject
    transient Settings settings;

    public EventStreamFilter() {
        super("GET", "/events");
    }

    // Validation, access and admission come first: a refused request gets its 4xx (JSON) before any byte of stream,
    // and the connection is opened before the hub's lock is taken.
    @Override
    protected void handle(String path, HttpServletRequest request, HttpServletResponse response) {
        StreamRequest stream = StreamRequest.of(request);
        if (ChannelPattern.isPattern(path)) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "a pattern is subscribed to in the query form only:"
                    + " events?channel=" + path.substring(1) + " (the path form names one channel)");
        }
        List<String> channels = path.isEmpty() ? stream.parameters("channel") : List.of(path.substring(1));
        ChannelSelection subscription = ChannelSelection.parse(channels, settings.maxChannelsPerConnection(),
                settings.allowAllPattern());
        String lastEventId = stream.lastEventId();
        if (lastEventId != null) {
            EventIds.requireResumable(lastEventId);
        }
        Caller who = stream.identify(access).from(addresses.of(request));
        access.requireReadable(who, subscription.channels());
        SseStream opened = admission.open(who, subscription.channels(), subscription.label(),
                NonBlockingResponse.opener(request, response));
        hub.subscribe(opened, subscription, lastEventId);
    }
}
