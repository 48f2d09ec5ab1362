package io.eventstream.it.support;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The deployed hub as a test sees it: its URLs, HTTP publish, and its status. */
public final class Hub {

    public static final String TOKEN = "it-token";

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public Hub(URL base) {
        this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
    }

    public URI uri(String path) {
        return base.resolve(path);
    }

    /** {@code events?channel=a&channel=b}. */
    public URI channels(String... channels) {
        return uri("events?" + Arrays.stream(channels)
                .map(c -> "channel=" + URLEncoder.encode(c, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }

    public SseClient subscribe(String... channels) throws IOException {
        return SseClient.open(channels(channels));
    }

    public HttpResponse<String> publish(String channel, String body) throws IOException, InterruptedException {
        return post("events/" + channel, "Bearer " + TOKEN, "application/json", body);
    }

    /** Publishes {@code {"data": <json>}} over HTTP, failing unless it is accepted; returns the event's id. */
    public String publishData(String channel, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = publish(channel, "{\"data\":" + json + "}");
        if (response.statusCode() != 202) {
            throw new AssertionError("publish to " + channel + " answered " + response.statusCode() + ": " + response.body());
        }
        return json(response.body()).getString("id");
    }

    public HttpResponse<String> post(String path, String authorization, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public JsonObject status() throws IOException, InterruptedException {
        return json(get("status").body());
    }

    /**
     * Polls the status until {@code condition} holds, or fails with the last status seen; an answer that is not the
     * hub's JSON (a server still deploying it) counts as not yet.
     */
    public JsonObject awaitStatus(Predicate<JsonObject> condition, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String seen;
        while (true) {
            HttpResponse<String> response = get("status");
            seen = response.statusCode() + " " + response.body();
            try {
                JsonObject status = json(response.body());
                if (condition.test(status)) {
                    return status;
                }
            } catch (JsonException e) {
                // not the hub answering
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("status did not reach the expected state within " + timeout + ": " + seen);
            }
            Thread.sleep(100); // polling a counter the server exposes; there is nothing to wait on
        }
    }

    /** The value of one series ({@code name{label="value"}}, as written) in a {@code GET /metrics} answer, or fails. */
    public static double metric(String scrape, String series) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        if (!line.find()) {
            throw new AssertionError(series + " is missing from:\n" + scrape);
        }
        return Double.parseDouble(line.group(1));
    }

    public static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
