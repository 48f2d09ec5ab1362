package io.eventstream.example;

import io.eventstream.api.StreamClient;
import io.eventstream.api.StreamSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The current time every second, at {@code GET {root}/streams/clock}: django-sse's classic example.
 *
 * <p>{@code ?interval=PT0.5S} changes the period (from 100 ms to one hour). Served only with {@code eventstream.demo=true}
 * (see {@link DemoExtension}).
 */
@ApplicationScoped
@Named("clock")
public class ClockStream implements StreamSource {

    private static final Duration FASTEST = Duration.ofMillis(100);
    private static final Duration SLOWEST = Duration.ofHours(1);

    @Override
    public void open(StreamClient client) {
        Duration period = client.parameter("interval").map(ClockStream::period).orElse(Duration.ofSeconds(1));
        client.every(period, () -> client.send("time", Map.of("time", Instant.now().toString())));
    }

    private static Duration period(String text) {
        try {
            Duration asked = Duration.parse(text);
            return asked.compareTo(FASTEST) < 0 ? FASTEST : asked.compareTo(SLOWEST) > 0 ? SLOWEST : asked;
        } catch (RuntimeException e) {
            return Duration.ofSeconds(1); // an unreadable interval falls back to the classic one
        }
    }
}
