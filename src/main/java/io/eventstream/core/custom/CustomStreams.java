package io.eventstream.core.custom;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import io.eventstream.api.StreamSource;
import io.eventstream.core.admission.Admission;
import io.eventstream.core.config.Settings;
import io.eventstream.core.stream.ClientConnection;
import io.eventstream.core.stream.SseFrames;
import io.eventstream.core.stream.SseStream;
import io.eventstream.core.stream.StreamEnd;
import io.eventstream.core.stream.SseStreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Custom streams (django-sse's {@code iterator()}): serves the {@link StreamSource} bean named {@code name} to each
 * client, through the same {@link Admission} as channel streams (limits, token expiry).
 */
@ApplicationScoped
public class CustomStreams {

    private static final Logger LOG = Logger.getLogger(CustomStreams.class.getName());

    @Inject
    @Any
    Instance<StreamSource> sources;

    @Inject
    Admission admission;

    @Inject
    SseStreams streams;

    @Inject
    Settings settings;

    /**
     * Opens the custom stream {@code name} for one client: {@code stream-open}, then whatever its source sends.
     * {@code not-found} when no source has that name, {@code too-many-requests} when there is no room.
     */
    public void open(String name, CustomRequest request, Supplier<ClientConnection> connect) {
        Instance<StreamSource> named = sources.select(NamedLiteral.of(name));
        if (name.isEmpty() || !named.isResolvable()) {
            throw new EventStreamException(Refusal.NOT_FOUND, "no custom stream is named '" + name + "'");
        }
        StreamSource source = named.get();
        SseStream stream = admission.open(request.who(), List.of(), "custom stream '" + name + "'", connect);
        stream.send(SseFrames.streamOpen(settings.retry().toMillis(), null));
        try {
            source.open(new CustomClient(name, stream, streams.scheduler(), request));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "eventstream: custom stream '" + name + "' failed to open; closing this client", e);
            stream.close(StreamEnd.FAILED);
        }
    }
}
