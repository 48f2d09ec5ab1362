package io.eventstream.adapter.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.api.Refusal;
import io.eventstream.core.access.AccessPolicy;
import io.eventstream.core.access.Caller;
import io.eventstream.core.admission.Admission;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.PermissionChange;
import io.eventstream.core.hub.ChannelSelection;
import io.eventstream.core.hub.Hub;
import io.eventstream.core.limits.PublishRate;
import io.eventstream.core.limits.RetryLater;
import io.eventstream.core.metrics.RefusedRequests;
import io.eventstream.core.publish.EventDraft;
import io.eventstream.core.publish.EventPublisher;
import io.eventstream.core.publish.Outbound;
import io.eventstream.core.stream.FakeConnection;
import io.eventstream.core.stream.SseStream;
import io.eventstream.core.stream.SseStreams;
import io.eventstream.core.stream.SseStreamsFixture;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The meters as Prometheus reads them, bound to real core beans outside CDI: names, labels and values after a few
 * publishes, streams and refusals.
 */
class NodeMetersTest {

    private final Settings settings = Settings.of(Map.of("connections.max", "2", "connections.max-per-ip", "1",
            "publish.rate", "1"));
    private final SseStreams streams = SseStreamsFixture.start(settings);
    private final Admission admission = new Admission(settings, streams, new AccessPolicy(settings, List.of(), Clock.systemUTC()),
            Clock.systemUTC());
    private final Hub hub = new Hub(settings, admission, Clock.systemUTC());
    private volatile String brokerFailure;
    private final Outbound topic = new Outbound() {
        @Override public CompletionStage<Void> send(List<ChannelEvent> events) { return CompletableFuture.completedFuture(null); }
        @Override public void send(PermissionChange change) { }
        @Override public CompletionStage<Void> announce(String report) { return CompletableFuture.completedFuture(null); }
        @Override public Optional<String> failure() { return Optional.ofNullable(brokerFailure); }
        @Override public Optional<String> eventLog() { return Optional.empty(); }
        @Override public String broker() { return "test"; }
    };
    private final EventPublisher publisher = new EventPublisher(topic, settings, Runnable::run);
    private final RefusedRequests refused = new RefusedRequests();
    private final PublishRate rate = new PublishRate(settings, () -> 0);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerTimings timings = new MicrometerTimings(registry);

    @AfterEach
    void stopStreams() {
        SseStreamsFixture.stop(streams);
    }

    private double value(String scrape, String series) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertTrue(line.find(), series + " is missing from:\n" + scrape);
        return Double.parseDouble(line.group(1));
    }

    @Test
    void whatTheNodeDidAndHoldsIsReadAtScrapeTime() throws Exception {
        NodeMeters.bind(registry, new NodeMeters.Sources(hub, streams, admission, publisher, topic, refused, rate));
        FakeConnection connection = new FakeConnection();
        Caller fromOneAddress = Caller.ANONYMOUS.from("203.0.113.7");
        SseStream stream = admission.open(fromOneAddress, List.of("news"), "channels news", () -> connection);
        hub.subscribe(stream, new ChannelSelection(List.of("news")), null);
        // connections.max-per-ip is 1: counted as a client turned away for its address
        assertThrows(RetryLater.class, () -> admission.open(fromOneAddress, List.of(), "custom stream 'clock'", FakeConnection::new));
        admission.open(Caller.ANONYMOUS, List.of(), "custom stream 'clock'", FakeConnection::new);
        rate.take("publisher", 1);
        assertThrows(RetryLater.class, () -> rate.take("publisher", 1)); // publish.rate is 1 a second; the clock stands still
        publisher.publish(new EventDraft("news", "message", "{}"));
        publisher.send("news", "message", Map.of());
        publisher.send("news", "message", Map.of());
        hub.event(new ChannelEvent("e1", "news", "message", "{}"), System.currentTimeMillis() - 20);
        hub.event(new ChannelEvent("e2", "news", "message", "{}"));
        await(() -> connection.received().contains("e2"));
        refused.count(Refusal.UNAUTHORIZED);
        try {
            admission.open(Caller.ANONYMOUS, List.of("news"), "channels news", FakeConnection::new);
        } catch (RuntimeException full) {
            // connections.max is 2: counted as a client turned away
        }
        timings.deliveryLag(20);

        String scrape = registry.scrape(PrometheusScrape.CONTENT_TYPE);
        assertEquals(1, value(scrape, "eventstream_connections{kind=\"channel\"}"));
        assertEquals(1, value(scrape, "eventstream_connections{kind=\"custom\"}"));
        assertEquals(1, value(scrape, "eventstream_channels"));
        assertEquals(2, value(scrape, "eventstream_history_events"));
        assertEquals(1, value(scrape, "eventstream_broker_up"));
        assertEquals(1, value(scrape, "eventstream_events_published_total{via=\"http\"}"));
        assertEquals(2, value(scrape, "eventstream_events_published_total{via=\"java\"}"));
        assertEquals(2, value(scrape, "eventstream_events_published_total{via=\"topic\"}"));
        assertEquals(2, value(scrape, "eventstream_events_delivered_total"));
        assertEquals(0, value(scrape, "eventstream_stream_resets_total"));
        assertEquals(0, value(scrape, "eventstream_resumes_waited_total"));
        assertEquals(1, value(scrape, "eventstream_clients_dropped_total{reason=\"limit\"}"));
        assertEquals(1, value(scrape, "eventstream_clients_dropped_total{reason=\"ip-limit\"}"));
        assertEquals(0, value(scrape, "eventstream_clients_dropped_total{reason=\"slow\"}"));
        assertEquals(1, value(scrape, "eventstream_events_refused_total{reason=\"rate\"}"));
        assertEquals(1, value(scrape, "eventstream_requests_refused_total{condition=\"unauthorized\"}"));
        assertEquals(0, value(scrape, "eventstream_requests_refused_total{condition=\"forbidden\"}"));
        assertEquals(1, value(scrape, "eventstream_delivery_lag_seconds_count"));
        assertEquals(1, value(scrape, "eventstream_delivery_lag_seconds_bucket{le=\"0.025\"}"));
        assertTrue(scrape.contains("# TYPE eventstream_publish_seconds histogram"), scrape);
        assertTrue(scrape.contains("# TYPE eventstream_events_published_total counter"), scrape);

        stream.close();
        await(() -> registry.scrape(PrometheusScrape.CONTENT_TYPE).contains("eventstream_streams_ended_total{reason=\"closed\"} 1.0"));
        brokerFailure = "the broker is down";
        scrape = registry.scrape(PrometheusScrape.CONTENT_TYPE);
        assertEquals(0, value(scrape, "eventstream_broker_up"));
        assertEquals(0, value(scrape, "eventstream_connections{kind=\"channel\"}"));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(condition.getAsBoolean(), "condition not met within 10 s");
    }
}
