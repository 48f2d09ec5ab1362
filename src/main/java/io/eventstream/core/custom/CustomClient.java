package io.eventstream.core.custom;

import io.eventstream.api.StreamClient;
import io.eventstream.core.event.EventTypeName;
import io.eventstream.core.event.JsonData;
import io.eventstream.core.stream.SseFrames;
import io.eventstream.core.stream.SseStream;
import io.eventstream.core.stream.StreamEnd;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The handle a custom stream's source gets: its events go through the stream's bounded buffer, its tasks through the shared scheduler. */
final class CustomClient implements StreamClient {

    private static final Logger LOG = Logger.getLogger(CustomClient.class.getName());

    private final String streamName;
    private final SseStream stream;
    private final ScheduledExecutorService scheduler;
    private final Map<String, List<String>> parameters;
    private final String lastEventId;
    private final String user;

    CustomClient(String streamName, SseStream stream, ScheduledExecutorService scheduler, CustomRequest request) {
        this.streamName = streamName;
        this.stream = stream;
        this.scheduler = scheduler;
        this.parameters = request.parameters();
        this.lastEventId = request.lastEventId();
        this.user = request.who().user();
    }

    @Override
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    @Override
    public void send(String eventType, Object data) {
        if (stream.isClosed()) {
            return;
        }
        stream.send(SseFrames.of(EventTypeName.require(eventType), JsonData.of(data)));
    }

    @Override
    public void every(Duration period, Runnable task) {
        cancelOnClose(scheduler.scheduleAtFixedRate(guarded(task), 0, period.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public void after(Duration delay, Runnable task) {
        cancelOnClose(scheduler.schedule(guarded(task), delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void cancelOnClose(ScheduledFuture<?> future) {
        stream.onClose(() -> future.cancel(false));
    }

    // The scheduler is shared by every stream: one task's failure closes its own stream, never the scheduler.
    private Runnable guarded(Runnable task) {
        return () -> {
            if (stream.isClosed()) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "eventstream: custom stream '" + streamName + "' failed; closing this client", e);
                stream.close(StreamEnd.FAILED);
            }
        };
    }

    @Override
    public Optional<String> parameter(String name) {
        return parameters.getOrDefault(name, List.of()).stream().findFirst();
    }

    @Override
    public Optional<String> lastEventId() {
        return Optional.ofNullable(lastEventId);
    }

    @Override
    public boolean isOpen() {
        return !stream.isClosed();
    }

    @Override
    public void onClose(Runnable action) {
        stream.onClose(action);
    }

    @Override
    public void close() {
        stream.close();
    }
}
