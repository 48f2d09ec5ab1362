package io.eventstream.custom;

import io.eventstream.event.EventType;
import io.eventstream.event.JsonData;
import io.eventstream.subscribe.ClientStream;
import io.eventstream.subscribe.SseFrames;
import io.eventstream.subscribe.StreamRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A custom stream's client: its events go through the connection's bounded buffer, its tasks through the shared scheduler. */
final class ScheduledClient implements StreamClient {

    private static final Logger LOG = Logger.getLogger(ScheduledClient.class.getName());

    private final String streamName;
    private final ClientStream stream;
    private final ScheduledExecutorService scheduler;
    private final StreamRequest request;
    private final String user;

    ScheduledClient(String streamName, ClientStream stream, ScheduledExecutorService scheduler, StreamRequest request,
                    String user) {
        this.streamName = streamName;
        this.stream = stream;
        this.scheduler = scheduler;
        this.request = request;
        this.user = user;
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
        stream.send(SseFrames.of(EventType.require(eventType), JsonData.of(data)));
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
                stream.close();
            }
        };
    }

    @Override
    public Optional<String> parameter(String name) {
        return request.parameter(name);
    }

    @Override
    public Optional<String> lastEventId() {
        return Optional.ofNullable(request.lastEventId());
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
