package io.eventstream.core.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.core.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the application's stop does to the open streams: ends them all, and waits for the container to finish each. */
class SseStreamsEndAllTest {

    private final SseStreams streams = SseStreamsFixture.start(Settings.of(Map.of()));
    private final List<StreamSummary> ended = new ArrayList<>();

    @AfterEach
    void stop() {
        SseStreamsFixture.stop(streams);
    }

    // A connection the container finishes only when the test says so, as WildFly does on a task of its own.
    private FakeConnection open() {
        FakeConnection connection = new FakeConnection();
        connection.finished = new CompletableFuture<>();
        streams.open(connection, "test", summary -> {
            synchronized (ended) {
                ended.add(summary);
            }
        });
        return connection;
    }

    @Test
    void endsEveryStreamAsServerStoppingAndWaitsForTheContainerToFinishThem() throws Exception {
        List<FakeConnection> connections = List.of(open(), open(), open());
        CompletableFuture<Integer> unfinished = CompletableFuture.supplyAsync(() -> {
            try {
                return streams.endAll(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // Each connection is closed; the call still waits, for the container has finished none of them.
        for (FakeConnection connection : connections) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (connection.closes.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, connection.closes.get());
        }
        Thread.sleep(100);
        assertFalse(unfinished.isDone(), "returned before the container finished the responses");
        connections.forEach(connection -> connection.finished.complete(null));
        assertEquals(0, unfinished.get(5, TimeUnit.SECONDS));
        assertEquals(0, streams.count());
        synchronized (ended) {
            assertEquals(3, ended.size());
            ended.forEach(summary -> assertEquals(StreamEnd.SERVER_STOPPING, summary.why()));
        }
    }

    @Test
    void givesUpAtTheBoundAndSaysHowManyTheContainerHadNotFinished() throws Exception {
        FakeConnection finishing = open();
        open(); // never finished
        finishing.finished.complete(null);
        long t0 = System.nanoTime();
        assertEquals(1, streams.endAll(Duration.ofMillis(300)));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "waited past its bound");
    }
}
