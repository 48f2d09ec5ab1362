package io.eventstream.adapter.metrics;

import io.eventstream.core.metrics.Timings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The core's timings as Prometheus histograms: {@code eventstream_publish_seconds} and
 * {@code eventstream_delivery_lag_seconds}, with fixed buckets from 1 ms to 10 s (a dozen lines each, not
 * Micrometer's seventy). Made with the registry ({@link PrometheusScrape}), so a scrape shows them before the first
 * sample.
 */
final class MicrometerTimings implements Timings {

    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final Timer publish;
    private final Timer lag;

    MicrometerTimings(MeterRegistry registry) {
        publish = Timer.builder("eventstream.publish")
                .description("From a publish accepted (validated, given its id) to the broker's confirmation; a batch counts once")
                .serviceLevelObjectives(BUCKETS).register(registry);
        lag = Timer.builder("eventstream.delivery.lag")
                .description("From the broker's timestamp of an event to its being queued to this node's streams, once per event")
                .serviceLevelObjectives(BUCKETS).register(registry);
    }

    @Override
    public void publishConfirmed(long nanos) {
        publish.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void deliveryLag(long millis) {
        lag.record(millis, TimeUnit.MILLISECONDS);
    }
}
