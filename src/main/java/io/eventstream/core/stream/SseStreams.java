package io.eventstream.core.stream;

import io.eventstream.core.config.ContainerThreads;
import io.eventstream.core.config.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    private ExecutorService writerPool;
    private WatchedExecutor writers;
    private ScheduledExecutorService scheduler;
    private long keepAlivePeriodNanos;
    private volatile long keepAliveRanAtNanos = System.nanoTime();

    @PostConstruct
    void start() {
        // Writes only copy bytes to the container and flush without blocking: one thread per core keeps them all busy.
        writerThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        ThreadFactory threads = threadFactory != null ? threadFactory : ContainerThreads.factory();
        writerPool = Executors.newFixedThreadPool(writerThreads, threads);
        writers = new WatchedExecutor(writerPool, "writer pool");
        scheduler = Executors.newSingleThreadScheduledExecutor(threads);
        // On Payara a disconnect shows only as a failed write, and only the third write after the client left
        // fails. A comment to every stream idle for half an interval finds a dead client within about one and a
        // half intervals; a stream that carries events needs no comment. (A comment every quarter interval
        // found it within one, but the comments alone took a fifth of a core at 19,500 idle streams.)
        long keepAliveMillis = settings.keepAlive().toMillis();
        long period = Math.max(1, keepAliveMillis / 4);
        keepAlivePeriodNanos = TimeUnit.MILLISECONDS.toNanos(period);
        long idleNanos = TimeUnit.MILLISECONDS.toNanos(keepAliveMillis / 2);
        long stalledNanos = settings.clientWriteTimeout().toNanos();
        scheduler.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            keepAliveRanAtNanos = now;
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

    /**
     * Why this node's own threads look stuck, for the liveness check; empty while they make progress. Stuck: the
     * writers finished no task for {@code limit} while tasks waited, or the keep-alive task (which also cuts off
     * stalled clients) has not run for {@code limit} and ten of its periods. Answers at once; never waits on them.
     */
    public Optional<String> stuck(Duration limit) {
        long now = System.nanoTime();
        long limitNanos = limit.toNanos();
        Optional<String> writing = writers.stalled(now, limitNanos);
        if (writing.isPresent()) {
            return writing;
        }
        long sinceKeepAlive = now - keepAliveRanAtNanos;
        if (sinceKeepAlive > Math.max(limitNanos, 10 * keepAlivePeriodNanos)) {
            return Optional.of("the keep-alive task has not run for " + TimeUnit.NANOSECONDS.toSeconds(sinceKeepAlive) + " s");
        }
        return Optional.empty();
    }

    /** Event frames flushed to clients on this node since it started (keep-alive comments and control events not counted). */
    public long delivered() {
        return delivered.sum();
    }

    /** Open connections on this node. */
    public int count() {
        return open.size();
    }

    /**
     * Ends every open stream ({@code server-stopping}) and waits, at most {@code bound}, until the container has
     * finished each response. Called as the application stops, while the container still serves it: WildFly runs a
     * response's completion on a task that needs the deployment's services, and a stream closed later, when the beans
     * are destroyed, logged two {@code WFLYTX0002} errors and a {@code UT015021} with stack traces per stream.
     *
     * @return how many responses the container had not finished by the bound
     */
    public int endAll(Duration bound) throws InterruptedException {
        // The streams open now; one that opens meanwhile is ended by stop(), when the beans are destroyed.
        List<SseStream> ending = List.copyOf(open);
        ending.forEach(stream -> stream.close(StreamEnd.SERVER_STOPPING));
        CompletableFuture<?>[] finished = ending.stream().map(stream -> stream.finished().toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(finished).get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Counted below.
        }
        return (int) Arrays.stream(finished).filter(future -> !future.isDone()).count();
    }

    @PreDestroy
    void stop() {
        open.forEach(stream -> stream.close(StreamEnd.SERVER_STOPPING));
        scheduler.shutdownNow();
        writerPool.shutdown();
    }
}
