package io.eventstream.subscribe;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every open client stream of this node, the pool that writes to them, and the keep-alive that finds the
 * dead ones.
 *
 * <p>No thread is held per connection: writes never block (see {@link ClientStream}), so a stream takes a writer
 * thread only while it has bytes to hand to its connection, and a few threads serve every stream. Timed work
 * (keep-alive, custom streams) runs on one shared scheduler.
 */
@ApplicationScoped
public class ClientStreams {

    @Resource
    ManagedThreadFactory threadFactory;

    @Inject
    @ConfigProperty(name = "eventstream.keepalive", defaultValue = "PT15S")
    Duration keepAlive;

    @Inject
    @ConfigProperty(name = "eventstream.client.buffer", defaultValue = "1000")
    int buffer;

    @Inject
    @ConfigProperty(name = "eventstream.retry", defaultValue = "PT3S")
    Duration retry;

    @Inject
    @ConfigProperty(name = "eventstream.client.write-timeout", defaultValue = "PT30S")
    Duration writeTimeout;

    private final Set<ClientStream> open = ConcurrentHashMap.newKeySet();
    private int writerThreads;
    private ExecutorService writers;
    private ScheduledExecutorService scheduler;

    @PostConstruct
    void start() {
        // Writes only copy bytes to the container and flush without blocking: one thread per core keeps them all busy.
        writerThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        writers = Executors.newFixedThreadPool(writerThreads, threadFactory);
        scheduler = Executors.newSingleThreadScheduledExecutor(threadFactory);
        // On Payara a disconnect shows only as a failed write, and only the third write after the client left
        // fails. A comment to every stream idle for half an interval finds a dead client within about one and a
        // half intervals; a stream that carries events needs no comment. (A comment every quarter interval
        // found it within one, but the comments alone took a fifth of a core at 19,500 idle streams.)
        long period = Math.max(1, keepAlive.toMillis() / 4);
        long idleNanos = TimeUnit.MILLISECONDS.toNanos(keepAlive.toMillis() / 2);
        long stalledNanos = writeTimeout.toNanos();
        scheduler.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            for (ClientStream stream : open) {
                stream.keepAlive(now, idleNanos);
                stream.closeIfStalled(now, stalledNanos);
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens a tracked stream on a new connection, starting with {@code stream-open}.
     *
     * @param position the id {@code stream-open} carries, so a client that sees nothing else can still resume; or null
     */
    public ClientStream open(Connection connection, String position) {
        ClientStream stream = new ClientStream(connection, writers, buffer);
        open.add(stream);
        stream.onClose(() -> open.remove(stream));
        connection.attach(stream);
        stream.send(SseFrames.streamOpen(retry.toMillis(), position));
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

    /** Open connections on this node. */
    public int count() {
        return open.size();
    }

    @PreDestroy
    void stop() {
        open.forEach(ClientStream::close);
        scheduler.shutdownNow();
        writers.shutdown();
    }
}
