package io.eventstream.core.stream;

import io.eventstream.core.config.Settings;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link SseStreams} outside CDI, for tests in other packages: its writer pool and scheduler run on daemon threads, as
 * the container's managed thread factory would give them, until {@link #stop(SseStreams)}.
 */
public final class SseStreamsFixture {

    private SseStreamsFixture() {
    }

    /** Started streams with {@code settings}; stop them with {@link #stop(SseStreams)}. */
    public static SseStreams start(Settings settings) {
        SseStreams streams = new SseStreams();
        streams.settings = settings;
        streams.threadFactory = new DaemonThreads();
        streams.start();
        return streams;
    }

    /** Closes every open stream and stops the threads, as at undeployment. */
    public static void stop(SseStreams streams) {
        streams.stop();
    }

    private static final class DaemonThreads implements ManagedThreadFactory {

        private static final AtomicInteger COUNT = new AtomicInteger();
        private final ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable, "test-streams-" + COUNT.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };

        @Override
        public Thread newThread(Runnable runnable) {
            return threads.newThread(runnable);
        }

        @Override
        public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
            return ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        }
    }
}
