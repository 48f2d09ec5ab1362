package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.Hub;
import io.eventstream.it.support.ServerProcessFiles.Usage;
import io.eventstream.it.support.SseClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed requests (channel names, ids, bodies, headers, raw bytes) on plain sockets: none may
 * get a 5xx, hang, or inject a header, and the hub must still serve a normal client afterwards and hold no stream, and
 * no more open files or threads than before (read from {@code /proc}).
 */
class FuzzIT extends HubIT {

    private static final int REQUESTS = 10_000;
    private static final int THREADS = 4;
    // 10,000 requests: a file or thread kept for one in a hundred of them would be over this.
    private static final int TOLERANCE = 40;
    private static final String[] NASTY = {
        "", " ", "/", "//", "..", "../x", "%00", "%0d%0aInjected:%20yes", "\r\nInjected: yes", "%", "%zz", "é", "日本",
        "\u0000", "a".repeat(300), "stream-open", "a//b", "a/", "*", "?", "#", ";", "\"", "'", "<script>", "${x}",
        "%2e%2e%2f", "\t", "ID:abc", "m3x9k2a1-q7f3c2-0", "start-0", "-", ":", "x".repeat(5000),
        "a/*", "a*b", "**", "*/a", "user/*/x", "presence-join", "%2A",
    };

    // Dot segments stay within the context root: a path that climbs out of it ("/eventstream/events/../..") is
    // answered by the server's root application, not by this WAR.
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");

    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();

    @Test
    void malformedRequestsNeverGet5xxOrHangAndTheHubStillServes() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("FuzzIT seed " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        Usage baseline = restingUsage();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Random random = new Random(seed + t);
            runs.add(pool.submit(() -> {
                for (int i = 0; i < REQUESTS / THREADS; i++) {
                    byte[] request = request(random);
                    long started = System.nanoTime();
                    String response = exchange(request);
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    if (millis > 1000) {
                        System.out.println("FuzzIT slow " + millis + " ms: " + printable(request).lines().findFirst().orElse("")
                                + " → " + response.lines().findFirst().orElse("(nothing)"));
                    }
                    int status = status(response, request);
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    assertTrue(status < 500, () -> "5xx for " + printable(request) + "\n→ " + response);
                    assertTrue(!headers(response).toLowerCase().contains("\ninjected:"),
                            () -> "header injected by " + printable(request) + "\n→ " + response);
                }
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        pool.shutdown();
        System.out.println("FuzzIT statuses " + statuses);
        assertTrue(statuses.keySet().stream().anyMatch(s -> s >= 400), "the fuzzer should provoke refusals");

        try (SseClient client = hub.subscribe("after-fuzz")) {
            assertEquals("stream-open", client.next(WAIT).event());
            assertEquals(202, hub.publish("after-fuzz", "{\"data\":\"still serving\"}").statusCode());
            assertEquals("\"still serving\"", client.next(WAIT).data());
        }
        assertBackTo(baseline, TOLERANCE);
    }

    private String nasty(Random random) {
        String value = NASTY[random.nextInt(NASTY.length)];
        return random.nextBoolean() ? value : value + (char) (32 + random.nextInt(95)) + random.nextInt(1000);
    }

    // Either properly encoded, or raw (quotes, brackets, '%' alone, non-ASCII bytes) with only whitespace and
    // control characters escaped: a raw space ends the request target, and that makes a malformed request line,
    // which the container answers itself before any application code (Grizzly: 505, taking the rest as a version).
    private String encoded(Random random) {
        String value = nasty(random);
        if (random.nextInt(3) != 0) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
        StringBuilder raw = new StringBuilder();
        value.chars().forEach(c -> raw.append(c <= 0x20 || c == 0x7f ? String.format("%%%02x", c) : String.valueOf((char) c)));
        return raw.toString();
    }

    private byte[] request(Random random) {
        String path = hub.uri("").getRawPath();
        String target = switch (random.nextInt(6)) {
            case 0 -> path + "events?channel=" + encoded(random) + "&channel=" + encoded(random);
            case 1 -> path + "events/" + encoded(random) + "?lastEventId=" + encoded(random);
            case 2 -> path + "events?channel=ok&lastEventId=" + encoded(random) + "&token=" + encoded(random);
            case 3 -> path + "streams/" + encoded(random) + "?interval=" + encoded(random);
            case 4 -> path + "p" + encoded(random); // not a dot segment right under the root: see above
            default -> path + "events/" + encoded(random);
        };
        String method = random.nextInt(3) == 0 ? "GET" : new String[] {"POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH"}[random.nextInt(6)];
        String body = switch (random.nextInt(7)) {
            case 0 -> "{\"data\":" + nasty(random);
            case 1 -> "{\"event\":\"" + nasty(random) + "\",\"data\":{}}";
            case 2 -> "[".repeat(random.nextInt(3000)) + "1";
            case 3 -> "{\"data\":1" + ",\"data\":2".repeat(random.nextInt(5)) + "}";
            case 4 -> "{\"data\":" + "9".repeat(random.nextInt(400) + 1) + "e99999}";
            case 5 -> nasty(random);
            default -> "{\"data\":{\"x\":\"" + nasty(random) + "\"}}";
        };
        StringBuilder http = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        if (random.nextBoolean()) {
            http.append("Authorization: ").append(random.nextBoolean() ? "Bearer " + Hub.TOKEN : "Bearer " + nasty(random)).append("\r\n");
        }
        if (random.nextBoolean()) {
            http.append("Last-Event-ID: ").append(nasty(random).replace("\r", "").replace("\n", "")).append("\r\n");
        }
        if (random.nextBoolean()) {
            http.append("Content-Type: ").append(random.nextBoolean() ? "application/json" : nasty(random).replace("\n", "")).append("\r\n");
        }
        if (random.nextInt(10) == 0) {
            http.append(nasty(random)).append("\r\n"); // a malformed header line
        }
        if (random.nextInt(10) == 0) {
            http.append("Cookie: eventstream-token=").append(nasty(random).replace("\r\n", "")).append("\r\n");
        }
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        if (!method.equals("GET") || random.nextInt(5) == 0) {
            // A length that lies says less than was sent, never more: for a body that promises more bytes than come,
            // waiting for them is the right answer (seed 3269460515694 sent a valid publish 4 bytes short, and the
            // hub, correctly, waited), and the test would only measure the server's idle timeout.
            int declared = random.nextInt(8) == 0 ? Math.max(0, content.length - 1 - random.nextInt(5)) : content.length;
            http.append("Content-Length: ").append(declared).append("\r\n\r\n").append(body);
        } else {
            http.append("\r\n");
        }
        return http.toString().getBytes(StandardCharsets.UTF_8);
    }

    // Reads until the headers are complete (an accepted stream never ends) or the server closes.
    private String exchange(byte[] request) throws IOException {
        try (Socket socket = new Socket(hub.uri("").getHost(), hub.uri("").getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int read;
            try {
                while ((read = in.read(buffer)) >= 0) {
                    response.write(buffer, 0, read);
                    if (complete(response.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                if (response.size() == 0) {
                    throw new AssertionError("no answer within 10 s to " + printable(request));
                }
            } catch (IOException e) {
                // reset after answering: what was read is the answer
            }
            return response.toString(StandardCharsets.ISO_8859_1);
        }
    }

    // An accepted stream never ends; a refusal ends with its declared length. (Waiting for the server to close
    // could take long: the server may keep the connection for the next request.)
    private static boolean complete(String response) {
        int headersEnd = response.indexOf("\r\n\r\n");
        if (headersEnd < 0) {
            return false;
        }
        if (response.startsWith("HTTP/1.1 200") || response.length() > 65536) {
            return true;
        }
        if (response.endsWith("\r\n0\r\n\r\n")) {
            return true; // the last chunk of a chunked body
        }
        Matcher length = CONTENT_LENGTH.matcher(response.substring(0, headersEnd));
        return length.find() && response.length() >= headersEnd + 4 + Integer.parseInt(length.group(1));
    }

    private static int status(String response, byte[] request) {
        if (!response.startsWith("HTTP/1.")) {
            // A connection closed without an answer is a refusal of garbage, not a failure; an empty read is not.
            assertTrue(response.isEmpty(), () -> "not HTTP: " + response + " for " + printable(request));
            return 0;
        }
        return Integer.parseInt(response.substring(9, 12));
    }

    private static String headers(String response) {
        int end = response.indexOf("\r\n\r\n");
        return (end < 0 ? response : response.substring(0, end)).replace("\r\n", "\n");
    }

    private static String printable(byte[] request) {
        String text = new String(request, StandardCharsets.UTF_8);
        return (text.length() > 400 ? text.substring(0, 400) + "…" : text).replace("\r", "\\r").replace("\n", "\\n\n");
    }
}
