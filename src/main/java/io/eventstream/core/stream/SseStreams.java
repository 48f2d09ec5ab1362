package io.eventstream.core.stream;

import io.eventstream.core.config.ContainerThreads;
import io.eventstream.core.config.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Every open stream of this node, the pool that writes to them, and the keep-alive that finds the dead ones.
 *
 * <p>No thread is held per connection: writes never block (see {@link SseStream}), so a stream takes a writer thread
 * only while it has bytes to hand to its connection, and a few threads serve every stream. Timed work (keep-alive,
 * token expiry, custom streams) runs on one shared scheduler.
 */
@ApplicationScoped
public class SseStreams {


    @Inject
    Settings settings;

    ThreadFactory threadFactory; // null: the container's (ContainerThreads); unit tests set their own

    private final Set<SseStream> open = ConcurrentHashMap.newKeySet();
    private final LongAdder delivered = new LongAdder();
    private int writerThreads;
    private ExecutorService writers;
    private ScheduledExecutorService scheduler;

    @PostConstruct
    void start() {
        // Writes only copy bytes to the container and flush without blocking: one thread per core keeps them all busy.
        writerThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        ThreadFactory threads = threadFactory != null ? threadFactory : ContainerThreads.factory();
        writers = Executors.newFixedThreadPool(writerThreads, threads);
        scheduler = Executors.newSingleThreadScheduledExecutor(threads);
        // On Payara a disconnect shows only as a failed write, and only the third write after the client left
        // fails. A comment to every stream idle for half an interval finds a dead client within about one and a
        // half intervals; a stream that carries events needs no comment. (A comment every quarter interval
        // found it within one, but the comments alone took a fifth of a core at 19,500 idle streams.)
        long keepAliveMillis = settings.keepAlive().toMillis();
        long period = Math.max(1, keepAliveMillis / 4);
        long idleNanos = TimeUnit.MILLISECONDS.toNanos(keepAliveMillis / 2);
        long stalledNanos = settings.clientWriteTimeout().toNanos();
        scheduler.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            for (SseStream stream : open) {
                stream.keepAlive(now, idleNanos);
                stream.closeIfStalled(now, stalledNanos);
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens a tracked stream on a new connection; nothing is queued yet (the caller's first frame is {@code stream-open}).
     *
     * @param label what the stream reads, for log lines
     * @param ended told once, on a writer, what the stream did after it ended
     */
    public SseStream open(ClientConnection connection, String label, Consumer<StreamSummary> ended) {
        SseStream stream = new SseStream(connection, writers, settings.clientBuffer(), label, delivered, ended);
        open.add(stream);
        stream.onClose(() -> open.remove(stream));
        connection.attach(stream);
        return stream;
    }

    /** The shared scheduler for timed work on streams; tasks must not block. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Threads that write to clients. */
    public int writerThreads() {
        return writerThreads;
    }

    /** Event frames flushed to clients on this node since it started (keep-alive comments and control events not counted). */
    public long delivered() {
        return delivered.sum();
    }

    /** Open connections on this node. */
    public int count() {
        return open.size();
    }

    @PreDestroy
    void stop() {
        open.forEach(stream -> stream.close(StreamEnd.SERVER_STOPPING));
        scheduler.shutdownNow();
        writers.shutdown();
    }
}
