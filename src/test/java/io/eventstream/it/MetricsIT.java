package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.ExternalTools;
import io.eventstream.it.support.Hub;
import io.eventstream.it.support.HubProcess;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.SseEvent;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code GET /metrics} on a Payara Micro node: its token, the counters moving by what the test did, the end-of-stream
 * log line, Debian's {@code promtool check metrics} on the text, and a real Prometheus server scraping the node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String METRICS_TOKEN = "metrics-secret";
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    @AutoClose // after the last test; JUnit skips it when the start failed
    private HubProcess server;
    private Hub hub;

    @BeforeAll
    void start() throws Exception {
        server = HubProcess.payaraMicro("metrics", Path.of(System.getProperty("java.home")),
                Path.of(System.getProperty("payara.microJar", "target/payara-micro.jar")), Map.of(
                        "eventstream.publish.token", Hub.TOKEN,
                        "eventstream.metrics.token", METRICS_TOKEN,
                        "eventstream.keepalive", "PT1S",
                        "eventstream.demo", "true"));
        hub = new Hub(server.awaitHub(Duration.ofSeconds(240)).base());
    }

    private HttpResponse<String> metrics(String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(hub.uri("metrics")).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = metrics("Bearer " + METRICS_TOKEN);
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static double value(String scrape, String series) {
        return Hub.metric(scrape, series);
    }

    /** Scrapes until {@code series} satisfies {@code expected} (writers count a flush just after it), or fails. */
    private double await(String series, DoublePredicate expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        double seen;
        while (!expected.test(seen = value(scrape(), series))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(series + " is " + seen + " after " + WAIT);
            }
            Thread.sleep(100); // polling a counter the server exposes; there is nothing to wait on
        }
        return seen;
    }

    @Test
    @Order(1)
    void withATokenSetTheMetricsAskForItAndAnswerPrometheusText() throws Exception {
        for (String wrong : new String[] {null, "Bearer wrong", "Basic " + METRICS_TOKEN}) {
            HttpResponse<String> refused = metrics(wrong);
            assertEquals(401, refused.statusCode(), refused.body());
            assertEquals("unauthorized", Hub.json(refused.body()).getString("condition"));
            assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        }
        HttpResponse<String> answered = metrics("Bearer " + METRICS_TOKEN);
        assertEquals(200, answered.statusCode(), answered.body());
        assertTrue(answered.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                answered.headers().toString());
        assertEquals(1, value(answered.body(), "eventstream_broker_up"));
        assertTrue(value(answered.body(), "eventstream_requests_refused_total{condition=\"unauthorized\"}") >= 3);
        assertEquals(405, hub.post("metrics", null, "application/json", "{}").statusCode());
    }

    @Test
    @Order(2)
    void theCountersMoveByWhatWasPublishedDeliveredAndRefusedAndEachEndedStreamLogsOneLine() throws Exception {
        String before = scrape();
        try (SseClient first = hub.subscribe("metrics-a");
             SseClient second = hub.subscribe("metrics-a");
             SseClient custom = SseClient.open(hub.uri("streams/clock"))) {
            for (SseClient client : List.of(first, second, custom)) {
                assertEquals(200, client.status(), client.errorBody());
                assertEquals("stream-open", client.next(WAIT).event());
            }
            for (int i = 0; i < 3; i++) {
                hub.publishData("metrics-a", "{\"n\":" + i + "}");
            }
            assertEquals(401, hub.post("events/metrics-a", "Bearer nope", "application/json", "{\"data\":1}").statusCode());
            for (SseClient client : List.of(first, second)) {
                List<SseEvent> events = client.take(3, WAIT);
                assertEquals(3, events.size(), events.toString());
            }
            String during = scrape();
            assertEquals(2, value(during, "eventstream_connections{kind=\"channel\"}"));
            assertEquals(1, value(during, "eventstream_connections{kind=\"custom\"}"));
            assertTrue(value(during, "eventstream_channels") >= 1);
            assertTrue(value(during, "eventstream_history_events") >= 3);
            assertEquals(3, delta(before, during, "eventstream_events_published_total{via=\"http\"}"));
            assertEquals(3, delta(before, during, "eventstream_events_published_total{via=\"topic\"}"));
            assertEquals(0, delta(before, during, "eventstream_events_published_total{via=\"java\"}"));
            assertEquals(1, delta(before, during, "eventstream_requests_refused_total{condition=\"unauthorized\"}"));
            assertEquals(3, delta(before, during, "eventstream_publish_seconds_count"));
            assertEquals(3, delta(before, during, "eventstream_delivery_lag_seconds_count"));
            double delivered = value(before, "eventstream_events_delivered_total");
            // Six events to two clients, and the clock's ticks (one a second) to the custom stream.
            await("eventstream_events_delivered_total", now -> now >= delivered + 6);
        }
        // Payara sees a client that left only when a write fails: keep-alive comments find it within seconds.
        await("eventstream_connections{kind=\"channel\"}", now -> now == 0);
        await("eventstream_streams_ended_total{reason=\"client-left\"}",
                now -> now >= value(before, "eventstream_streams_ended_total{reason=\"client-left\"}") + 3);
        String log = server.log();
        Matcher ended = Pattern.compile("eventstream: stream ended reason=client-left user=- channels=metrics-a"
                + " duration_ms=\\d+ events=3 bytes=(\\d+)").matcher(log);
        assertTrue(ended.find() && ended.find(), "two end-of-stream lines for metrics-a in the log:\n" + tail(log));
        System.out.println("MetricsIT: " + ended.group());
        assertTrue(Pattern.compile("eventstream: stream ended reason=client-left user=- stream=\"custom stream 'clock'\""
                + " duration_ms=\\d+ events=\\d+ bytes=\\d+").matcher(log).find(), tail(log));
    }

    private static double delta(String before, String after, String series) {
        return value(after, series) - value(before, series);
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 6000));
    }

    @Test
    @Order(3)
    void promtoolFindsNothingWrongWithTheText() throws Exception {
        ExternalTools.require(Files.isExecutable(PROMTOOL), "prometheus");
        Path scraped = Files.createTempFile("eventstream-metrics", ".txt");
        try {
            Files.writeString(scraped, scrape());
            Process check = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectInput(scraped.toFile())
                    .redirectErrorStream(true).start();
            assertTrue(check.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
            String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, check.exitValue(), "promtool check metrics: " + said);
        } finally {
            Files.deleteIfExists(scraped);
        }
    }

    @Test
    @Order(4)
    void aPrometheusServerScrapesTheNodeWithTheTokenAndAnswersWhatWasPublished() throws Exception {
        ExternalTools.require(Files.isExecutable(PROMETHEUS), "prometheus");
        hub.publishData("metrics-b", "{\"for\":\"prometheus\"}");
        double published = value(scrape(), "eventstream_events_published_total{via=\"http\"}");
        Path dir = Files.createTempDirectory("eventstream-prometheus");
        int port = HubProcess.freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "scrape_configs:",
                "  - job_name: eventstream",
                "    metrics_path: " + hub.uri("metrics").getPath(),
                "    authorization:",
                "      type: Bearer",
                "      credentials: " + METRICS_TOKEN,
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + hub.uri("metrics").getPort() + "']",
                ""));
        Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            String query = "eventstream_events_published_total{via=\"http\"}";
            URI api = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                    + URLEncoder.encode(query, StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String seen = "nothing";
            while (System.nanoTime() < deadline) {
                seen = answer(api);
                if (seen.equals(Double.toString(published))) {
                    break;
                }
                Thread.sleep(500); // Prometheus scrapes every second; its API is polled
            }
            assertEquals(Double.toString(published), seen, "Prometheus's answer to " + query + "; its log:\n"
                    + Files.readString(dir.resolve("prometheus.log")));
            System.out.println("MetricsIT: Prometheus answered " + query + " = " + seen);
            String targets = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/targets"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(targets.contains("\"health\":\"up\""), targets);
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    // The value Prometheus has for the query, as a double's text, or what it said instead.
    private String answer(URI api) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(api).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return response.statusCode() + " " + response.body();
            }
            JsonArray result = Hub.json(response.body()).getJsonObject("data").getJsonArray("result");
            if (result.isEmpty()) {
                return "no series yet";
            }
            JsonObject first = result.getJsonObject(0);
            return Double.toString(Double.parseDouble(first.getJsonArray("value").getString(1)));
        } catch (IOException e) {
            return "not up yet: " + e;
        }
    }
}
