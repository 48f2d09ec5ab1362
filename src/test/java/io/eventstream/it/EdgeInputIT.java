package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.Hub;
import io.eventstream.it.support.ServerProcessFiles.Usage;
import io.eventstream.it.support.SseClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's request size bounds, at their edges, on a real node: huge and malformed requests get a 4xx (JSON where
 * the request reaches the hub at all), never a 5xx, a hang or a stack overflow, and the node keeps serving and holds no
 * stream for any of them afterwards, nor more open files or threads than before them (read from {@code /proc}: each
 * test measures the node at rest first).
 */
class EdgeInputIT extends HubIT {

    // A handful of requests per test: one file or thread kept per request would be over this.
    private static final int TOLERANCE = 8;

    /** A status line and body read from a raw socket: what the server answered to bytes no HTTP client would send. */
    private record Raw(int status, String head, String body) {
    }

    // Sends the bytes as they are and reads the answer until the server closes or stops sending for 10 s.
    private Raw raw(byte[] request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before it read everything: read what it said.
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    answer.write(buffer, 0, n);
                    if (answer.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n") && complete(answer.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // what arrived is the answer
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("HTTP/1.1 "), "no HTTP answer: '" + text + "'");
            int split = text.indexOf("\r\n\r\n");
            return new Raw(Integer.parseInt(text.substring(9, 12)), text.substring(0, Math.max(0, split)),
                    split < 0 ? "" : text.substring(split + 4));
        }
    }

    // Whether an answer with a Content-Length has all its body.
    private static boolean complete(String answer) {
        int split = answer.indexOf("\r\n\r\n");
        String head = answer.substring(0, split).toLowerCase();
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return head.contains("transfer-encoding: chunked") ? answer.endsWith("0\r\n\r\n") : false;
        }
        int end = head.indexOf("\r\n", at);
        int length = Integer.parseInt(head.substring(at + 15, end < 0 ? head.length() : end).trim());
        return answer.length() - split - 4 >= length;
    }

    private byte[] get(String target, String extraHeaders) {
        return ("GET " + base.getPath() + target + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nAccept: text/event-stream\r\nConnection: close\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void assertRefusedWith4xx(Raw answer, String what) {
        assertTrue(answer.status() >= 400 && answer.status() < 500, what + ": " + answer.status() + " " + answer.head());
    }

    private static void assertJsonProblem(Raw answer, int status, String condition, String what) {
        assertEquals(status, answer.status(), what + ": " + answer.head() + "\n" + answer.body());
        assertTrue(answer.head().toLowerCase().contains("content-type: application/json"), what + ": " + answer.head());
        assertEquals(condition, Hub.json(answer.body()).getString("condition"), what);
    }

    @Test
    void tenThousandChannelParametersAre400NamingTheLimit() throws Exception {
        Usage before = restingUsage();
        String query = IntStream.range(0, 10_000).mapToObj(i -> "channel=c" + i).collect(Collectors.joining("&"));
        Raw answer = raw(get("events?" + query, ""));
        // The request line is over the container's limit (about 8 KiB on Payara) long before 10,000 parameters: either
        // the container refuses it, or the hub does, saying how many channels a connection may read.
        assertRefusedWith4xx(answer, "10,000 channel parameters");
        if (answer.body().startsWith("{")) {
            assertTrue(Hub.json(answer.body()).getString("condition").matches("bad-request|too-large"), answer.body());
        }
        try (SseClient many = SseClient.open(hub.uri("events?" + IntStream.range(0, 300).mapToObj(i -> "channel=c" + i)
                .collect(Collectors.joining("&"))))) {
            assertEquals(400, many.status(), "within the request line's limit, the hub's own");
            assertTrue(Hub.json(many.errorBody()).getString("text").contains("eventstream.channels.max-per-connection"));
        }
        assertBackTo(before, TOLERANCE);
    }

    @Test
    void aMegabyteQueryAHundredKilobyteLastEventIdAndTenThousandHeadersAreRefusedWith4xx() throws Exception {
        Usage before = restingUsage();
        assertRefusedWith4xx(raw(get("events?channel=news&pad=" + "x".repeat(1 << 20), "")), "a 1 MB query string");
        assertRefusedWith4xx(raw(get("events?channel=news", "Last-Event-ID: " + "7".repeat(100 * 1024) + "\r\n")),
                "a 100 KB Last-Event-ID");
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            headers.append("X-H").append(i).append(": v\r\n");
        }
        assertRefusedWith4xx(raw(get("events?channel=news", headers.toString())), "10,000 headers");
        // Within the container's limits the hub's own rule answers: an id longer than 128 characters is no id of ours.
        assertJsonProblem(raw(get("events?channel=news", "Last-Event-ID: " + "7".repeat(4000) + "\r\n")), 400,
                "bad-request", "a 4,000-character Last-Event-ID");
        assertBackTo(before, TOLERANCE);
    }

    @Test
    void invalidPercentEncodingAndUtf8InChannelNamesAre400() throws Exception {
        Usage before = restingUsage();
        for (String target : new String[] {"events/%FF%FE", "events?channel=%E0%A4", "events?channel=%zz",
                "events?channel=news%", "events?channel=%C0%AE%C0%AE", "events/%00", "events?channel=a%0D%0AX-Injected:%201"}) {
            Raw answer = raw(get(target, ""));
            assertRefusedWith4xx(answer, target);
            assertTrue(!answer.head().contains("X-Injected"), target + ": " + answer.head());
            if (answer.body().startsWith("{")) {
                assertEquals("bad-request", Hub.json(answer.body()).getString("condition"), target);
            }
        }
        // A malformed escape in the path never reaches the application on Payara Micro 6: its URL decoder throws,
        // it logs SEVERE (AS-WEB-CORE-00037) and answers an empty 200. No stream is opened for it.
        for (String target : new String[] {"events/%zz", "events/news%", "events/a%2"}) {
            Raw answer = raw(get(target, ""));
            assertTrue(answer.status() < 500, target + ": " + answer.head());
            assertTrue(!answer.head().toLowerCase().contains("text/event-stream") && answer.body().isEmpty(), target + ": " + answer.head());
        }
        assertBackTo(before, TOLERANCE);
    }

    @Test
    void aBodyNestedDeepIsRefusedAndLongNumbersAreRefusedBySizeOrDeliveredIntact() throws Exception {
        Usage before = restingUsage();
        String deep = "{\"data\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        HttpResponse<String> nested = hub.post("events/edge", "Bearer " + Hub.TOKEN, "application/json", deep);
        // 200,000 bytes of brackets: over eventstream.event.max-bytes (64 KiB) too, so either refusal may come first.
        assertTrue(nested.statusCode() == 400 || nested.statusCode() == 413, nested.statusCode() + " " + nested.body());
        String deepButSmall = "{\"data\":" + "[".repeat(4_000) + "]".repeat(4_000) + "}";
        HttpResponse<String> small = hub.post("events/edge", "Bearer " + Hub.TOKEN, "application/json", deepButSmall);
        assertEquals(400, small.statusCode(), "nested 4,000 deep, within the body limit: " + small.body());
        assertEquals("bad-request", Hub.json(small.body()).getString("condition"));

        // 100,000 digits are over the body limit (413); 8,000 digits are within it, and over the JSON parser's own
        // bound for a number (Parsson: 1,100 characters), refused with 400 saying so; shorter numbers are delivered
        // exactly as they were sent, and an exponent too large for any number type is no 5xx.
        HttpResponse<String> huge = hub.post("events/edge", "Bearer " + Hub.TOKEN, "application/json",
                "{\"data\":1" + "0".repeat(100_000) + "}");
        assertEquals(413, huge.statusCode(), huge.body());
        HttpResponse<String> longNumber = hub.post("events/edge", "Bearer " + Hub.TOKEN, "application/json",
                "{\"data\":1" + "0".repeat(8_000) + "}");
        assertEquals(400, longNumber.statusCode(), longNumber.body());
        assertTrue(Hub.json(longNumber.body()).getString("text").contains("1100"), longNumber.body());
        try (SseClient reader = hub.subscribe("edge-digits")) {
            assertEquals("stream-open", reader.next(WAIT).event());
            for (String number : new String[] {"1" + "0".repeat(1_000), "0." + "1".repeat(1_000), "-1e999999999999999999"}) {
                HttpResponse<String> answer = hub.post("events/edge-digits", "Bearer " + Hub.TOKEN, "application/json",
                        "{\"data\":" + number + "}");
                assertTrue(answer.statusCode() == 202 || answer.statusCode() == 400, number.length()
                        + " characters of number: " + answer.statusCode() + " " + answer.body());
                if (number.length() > 1000) {
                    assertEquals(202, answer.statusCode(), answer.body());
                }
                if (answer.statusCode() == 202) {
                    assertEquals(number, reader.next(WAIT).data(), "delivered as sent");
                }
            }
        }
        assertEquals(202, hub.publish("edge", "{\"data\":1}").statusCode(), "the node still publishes");
        assertBackTo(before, TOLERANCE);
    }

    @Test
    void afterEveryAttackTheNodeHoldsNoStreamAndStillServes() throws Exception {
        Usage before = restingUsage();
        raw(get("events?channel=news&pad=" + "x".repeat(1 << 20), ""));
        raw(get("events/%FF", ""));
        hub.awaitStatus(status -> status.getInt("connections") == 0, WAIT);
        try (SseClient client = hub.subscribe("edge-after")) {
            assertEquals("stream-open", client.next(WAIT).event());
            hub.publishData("edge-after", "\"still here\"");
            assertEquals("\"still here\"", client.next(WAIT).data());
        }
        assertBackTo(before, TOLERANCE);
    }
}
