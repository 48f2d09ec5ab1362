package io.eventstream.subscribe;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every open client stream of this node, the pool that writes to them, and the keep-alive that finds the
 * dead ones.
 *
 * <p>No thread is held per connection: a stream takes a writer thread only while it has events to write,
 * and timed work (keep-alive, custom streams) runs on one shared scheduler.
 */
@ApplicationScoped
public class ClientStreams {

    // Writes block while a client's socket buffer is full, until the container's write timeout; the pool grows by
    // one thread per such write (WriterPool), so stalled clients never hold up the others. On Payara they block
    // only with the JVM option -Dorg.glassfish.grizzly.http.io.OutputBuffer.isBlocking=true: without it Grizzly
    // queues up to four times the socket's send buffer per connection in the heap (megabytes on loopback) first.
    private static final int WRITER_THREADS = 16;
    private static final long RESIZE_MILLIS = 50;

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

    private final Set<ClientStream> open = ConcurrentHashMap.newKeySet();
    private WriterPool writers;
    private ScheduledExecutorService scheduler;

    @PostConstruct
    void start() {
        writers = new WriterPool(WRITER_THREADS, threadFactory);
        scheduler = Executors.newSingleThreadScheduledExecutor(threadFactory);
        scheduler.scheduleAtFixedRate(writers::adjust, RESIZE_MILLIS, RESIZE_MILLIS, TimeUnit.MILLISECONDS);
        // On Payara a disconnect shows only as a failed write, and only the third write after the client
        // left fails (the first is accepted, the second's failure is reported late). Checking every quarter
        // interval removes a dead client within one keep-alive interval; an active stream writes no comments.
        long period = Math.max(1, keepAlive.toMillis() / 4);
        scheduler.scheduleAtFixedRate(() -> open.forEach(ClientStream::keepAlive), period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Wraps the container's sink of a new connection into a tracked stream and opens it with {@code stream-open}.
     *
     * @param position the id {@code stream-open} carries, so a client that sees nothing else can still resume; or null
     */
    public ClientStream open(SseEventSink sink, Sse sse, String position) {
        ClientStream stream = new ClientStream(sink, sse.newEventBuilder().comment("").build(), writers, buffer);
        open.add(stream);
        stream.onClose(() -> open.remove(stream));
        stream.send(SseEvents.streamOpen(sse, retry.toMillis(), position));
        return stream;
    }

    /** The shared scheduler for timed work on streams; tasks must not block. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Threads now in the writer pool: the base 16 plus one per write stuck on a stalled client. */
    public int writerThreads() {
        return writers.threads();
    }

    /** Open connections on this node. */
    public int count() {
        return open.size();
    }

    @PreDestroy
    void stop() {
        open.forEach(ClientStream::close);
        scheduler.shutdownNow();
        writers.shutdownNow();
    }
}
