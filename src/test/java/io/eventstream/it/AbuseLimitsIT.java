package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.eventstream.it.support.Hub;
import io.eventstream.it.support.HubProcess;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.SseEvent;
import io.eventstream.it.support.TwoNodes;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The limits against hostile clients (issue 17, item 2) on a Payara Micro node of its own, started as a process so
 * that its open files can be counted: anonymous streams per client address ({@code eventstream.connections.max-per-ip}),
 * the client's address behind a trusted proxy ({@code eventstream.proxies.trusted}: {@code 127.0.0.1}, while the
 * test's other client connects from {@code 127.0.0.2}, which loopback also reaches), and events a second per HTTP
 * publisher ({@code eventstream.publish.rate}). After every attack the node's streams and open files come back to
 * where they were, and nothing got a {@code 5xx}.
 */
class AbuseLimitsIT {

    private static final int PER_ADDRESS = 5;
    private static final int RATE = 20;
    private static final int FLOOD = 200;
    // Files the node may hold beyond its baseline once an attack is over: the test's own status connection and what
    // the server opens lazily. Far below the connections of each attack, so a leak of them shows.
    private static final int FILES_SLACK = 20;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final String KEY = "abuse-limits-it-hs256-secret-of-32-bytes-or-more";
    private static final String CHANNEL = "abuse-streams";

    private static HubProcess node;
    private static Hub hub;
    private static InetAddress proxy; // trusted
    private static InetAddress stranger; // not trusted
    private static long started;

    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final List<SseClient> held = new ArrayList<>();
    private int baselineFiles;

    @BeforeAll
    static void startNode() throws Exception {
        proxy = InetAddress.getByName("127.0.0.1");
        stranger = InetAddress.getByName("127.0.0.2");
        started = System.nanoTime();
        node = HubProcess.payaraMicro("abuse-limits", Path.of(System.getProperty("java.home")),
                Path.of(System.getProperty("payara.microJar", "target/payara-micro.jar")), Map.of(
                        "eventstream.publish.token", Hub.TOKEN,
                        "eventstream.keepalive", "PT1S",
                        "eventstream.connections.max-per-ip", String.valueOf(PER_ADDRESS),
                        "eventstream.proxies.trusted", "127.0.0.1",
                        "eventstream.publish.rate", String.valueOf(RATE),
                        "eventstream.subscribe.jwt.key", KEY,
                        "eventstream.channels.public", "abuse*"));
        hub = TwoNodes.awaitUp(node, TwoNodes.STARTUP);
        // Warm up what the server opens once (class loading from its JARs, the first stream, the first refusal).
        try (SseClient warm = open(stranger, Map.of())) {
            assertEquals(200, warm.status(), warm.errorBody());
        }
        post(Hub.TOKEN, "events/abuse-warm", "{\"data\":0}");
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @BeforeEach
    void baseline() throws Exception {
        hub.awaitStatus(status -> status.getInt("connections") == 0, SETTLE);
        baselineFiles = node.openFiles();
    }

    @AfterEach
    void closeAndComeBackToBaseline() throws Exception {
        held.forEach(SseClient::close);
        hub.awaitStatus(status -> status.getInt("connections") == 0, SETTLE);
        long deadline = System.nanoTime() + SETTLE.toNanos();
        int files = node.openFiles();
        while (files > baselineFiles + FILES_SLACK && System.nanoTime() < deadline) {
            Thread.sleep(250); // the server closes its side of a connection the client left when it notices
            files = node.openFiles();
        }
        assertTrue(files <= baselineFiles + FILES_SLACK, "the node holds " + files + " files, " + baselineFiles
                + " before the attack");
        assertEquals(List.of(), statuses.keySet().stream().filter(status -> status >= 500).toList(), "5xx answers: " + statuses);
    }

    @Test
    void theAnonymousStreamPastTheLimitOfItsAddressIs429WhileOtherAddressesAndUsersGetIn() throws Exception {
        for (int i = 0; i < PER_ADDRESS; i++) {
            hold(stranger, Map.of());
        }
        SseClient refused = open(stranger, Map.of());
        assertTooManyStreams(refused);

        hold(proxy, Map.of("X-Forwarded-For", "203.0.113.9")); // another client, as the trusted proxy says
        hold(stranger, Map.of("Authorization", "Bearer " + token("carol", List.of("abuse*"), null))); // a user
        hub.awaitStatus(status -> status.getInt("connections") == PER_ADDRESS + 2, WAIT);

        // Closing streams gives their address's slots back.
        held.forEach(SseClient::close);
        held.clear();
        hub.awaitStatus(status -> status.getInt("connections") == 0, SETTLE);
        for (int i = 0; i < PER_ADDRESS; i++) {
            hold(stranger, Map.of());
        }
        assertTooManyStreams(open(stranger, Map.of()));
    }

    @Test
    void aFloodOfConnectsFromOneAddressIsRefusedWithoutALogLineEachAndItsForwardedForIsIgnored() throws Exception {
        for (int i = 0; i < PER_ADDRESS; i++) {
            hold(stranger, Map.of());
        }
        double before = metric("eventstream_clients_dropped_total{reason=\"ip-limit\"}");
        // Each claims another address: the stranger is no trusted proxy, so none is believed.
        List<SseClient> answers = concurrently(FLOOD, i -> open(stranger, Map.of("X-Forwarded-For", "198.51.100." + (i % 250))));
        for (SseClient answer : answers) {
            assertTooManyStreams(answer);
        }
        assertEquals(before + FLOOD, metric("eventstream_clients_dropped_total{reason=\"ip-limit\"}"));
        // Logged, but not once per refusal: at most a line per 10 s of the node's life.
        int lines = awaitLogLines("refused an anonymous stream from 127.0.0.2");
        long tenSeconds = (System.nanoTime() - started) / TimeUnit.SECONDS.toNanos(10) + 1;
        assertTrue(lines <= tenSeconds, lines + " log lines for the refusals in " + tenSeconds + " periods of 10 s");
        assertTrue(node.log().contains("eventstream.connections.max-per-ip=" + PER_ADDRESS), "the line names the key");
        // One warning for the node about an untrusted peer's X-Forwarded-For, whatever the number of such requests.
        assertEquals(1, awaitLogLines("sent X-Forwarded-For, which is ignored"), node.log());
        assertTrue(node.log().contains("eventstream.proxies.trusted"));
    }

    @Test
    void behindTheTrustedProxyTheClientIsTheRightMostEntryThatIsNotAProxy() throws Exception {
        for (int i = 0; i < PER_ADDRESS; i++) {
            hold(proxy, Map.of("X-Forwarded-For", "203.0.113.20"));
        }
        // What the client writes at the left end, and the trusted proxies at the right, change nothing.
        assertTooManyStreams(open(proxy, Map.of("X-Forwarded-For", "9.9.9.9, 203.0.113.20")));
        assertTooManyStreams(open(proxy, Map.of("X-Forwarded-For", "203.0.113.20, 127.0.0.1")));
        assertTooManyStreams(open(proxy, Map.of("X-Forwarded-For", "2001:db8::1, 203.0.113.20")));
        hold(proxy, Map.of("X-Forwarded-For", "203.0.113.20, 203.0.113.21")); // the right-most untrusted: .21
        hold(proxy, Map.of("X-Forwarded-For", "2001:db8::20"));
        // A header that is not a list of addresses is not believed: the client is the peer (127.0.0.1, with room).
        for (String malformed : List.of("unknown", "203.0.113.20, unknown", "203.0.113.20:4711", ",", "x".repeat(2000))) {
            hold(proxy, Map.of("X-Forwarded-For", malformed));
            held.remove(held.size() - 1).close();
        }
        hub.awaitStatus(status -> status.getInt("connections") == PER_ADDRESS + 2, SETTLE);
    }

    @Test
    void aPublisherOverItsRateGets429ForTheWholeRequestWhileAnotherPublishesOn() throws Exception {
        // Alice and bob have signed tokens of their own: the flood test's shared token may still be refilling.
        String alice = token("alice", List.of(), List.of("abuse*"));
        String bob = token("bob", List.of(), List.of("abuse*"));
        SseClient reader = hold(proxy, Map.of());
        double refusedBefore = metric("eventstream_events_refused_total{reason=\"rate\"}");

        assertEquals(202, post(alice, "events", batch(CHANNEL, RATE, "alice")).status);
        // A second's worth again, at once: a token comes back every 1/RATE s, so this whole batch would need the
        // second to pass (its answer's broker confirmation takes a few milliseconds).
        Answer overBatch = post(alice, "events", batch(CHANNEL, RATE, "refused batch"));
        assertTooManyPublishes(overBatch);
        // Another publisher is not held back by the first one's flood.
        Answer fromBob = post(bob, "events/" + CHANNEL, "{\"data\":\"bob\"}");
        assertEquals(202, fromBob.status, fromBob.body);
        // Nothing of the refused requests was published: after alice's batch, the next event is bob's.
        List<SseEvent> events = reader.take(RATE + 1, WAIT);
        for (int i = 0; i < RATE; i++) {
            assertEquals("\"alice " + i + "\"", events.get(i).data());
        }
        assertEquals("\"bob\"", events.get(RATE).data());
        // More events in one request than a second's rate: no wait makes room, so it is too large, not "later".
        Answer tooLarge = post(bob, "events", batch(CHANNEL, RATE + 1, "big"));
        assertEquals(413, tooLarge.status, tooLarge.body);
        assertTrue(Hub.json(tooLarge.body).getString("text").contains("eventstream.publish.rate"), tooLarge.body);

        // Alice gets through again once her bucket refilled (Retry-After says when: 1 s here).
        int refusedWhileWaiting = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        Answer again;
        while ((again = post(alice, "events/" + CHANNEL, "{\"data\":\"again\"}")).status == 429
                && System.nanoTime() < deadline) {
            refusedWhileWaiting++;
            Thread.sleep(TimeUnit.SECONDS.toMillis(Long.parseLong(again.headers.get("retry-after"))));
        }
        assertEquals(202, again.status, again.body);
        assertEquals("\"again\"", reader.next(WAIT).data());
        assertEquals(refusedBefore + RATE + refusedWhileWaiting, metric("eventstream_events_refused_total{reason=\"rate\"}"));
    }

    @Test
    void aFloodOfPublishesWithTheSharedTokenIsRefusedWith429NotOneLogLineEachAndBobIsUnaffected() throws Exception {
        String bob = token("bob", List.of(), List.of("abuse*"));
        List<Answer> answers = concurrently(FLOOD, i -> post(Hub.TOKEN, "events/" + CHANNEL, "{\"data\":" + i + "}"));
        long accepted = answers.stream().filter(answer -> answer.status == 202).count();
        long refused = answers.stream().filter(answer -> answer.status == 429).count();
        assertEquals(FLOOD, accepted + refused, "every publish accepted or refused with 429: " + statuses);
        assertTrue(refused > 0, "the flood was not refused at all: " + statuses);
        answers.stream().filter(answer -> answer.status == 429).forEach(AbuseLimitsIT::assertTooManyPublishes);
        assertEquals(202, post(bob, "events/" + CHANNEL, "{\"data\":\"bob\"}").status);
        int lines = awaitLogLines("is over eventstream.publish.rate");
        long tenSeconds = (System.nanoTime() - started) / TimeUnit.SECONDS.toNanos(10) + 1;
        assertTrue(lines <= 2 * tenSeconds, lines + " log lines in " + tenSeconds + " periods of 10 s (two publishers)");
    }

    // --- streams ---

    private static SseClient open(InetAddress from, Map<String, String> headers) throws IOException {
        return SseClient.open(hub.channels(CHANNEL), headers, from);
    }

    private SseClient hold(InetAddress from, Map<String, String> headers) throws Exception {
        SseClient client = open(from, headers);
        count(client.status());
        assertEquals(200, client.status(), from + " " + headers + ": " + client.errorBody());
        held.add(client);
        assertEquals("stream-open", client.next(WAIT).event());
        return client;
    }

    private void assertTooManyStreams(SseClient refused) {
        count(refused.status());
        assertEquals(429, refused.status(), refused.errorBody());
        assertEquals("10", refused.header("retry-after"));
        JsonObject problem = Hub.json(refused.errorBody());
        assertEquals("too-many-requests", problem.getString("condition"));
        assertTrue(problem.getString("text").contains("eventstream.connections.max-per-ip"), problem.toString());
    }

    // --- publishing, on a connection of its own each ("Connection: close"), so none lingers in a client's pool ---

    private record Answer(int status, Map<String, String> headers, String body) {
    }

    private static Answer post(String token, String path, String json) throws IOException {
        URI uri = hub.uri(path);
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            in.transferTo(answer);
            String text = answer.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            assertTrue(text.startsWith("HTTP/1.1 ") && split > 0, "no HTTP answer: " + text);
            Map<String, String> headers = new HashMap<>();
            for (String line : text.substring(0, split).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            return new Answer(Integer.parseInt(text.substring(9, 12)), headers, text.substring(split + 4));
        }
    }

    private static String batch(String channel, int events, String text) {
        return IntStream.range(0, events).mapToObj(i -> "{\"channel\":\"" + channel + "\",\"data\":\"" + text + " " + i + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static void assertTooManyPublishes(Answer refused) {
        assertEquals(429, refused.status, refused.body);
        String retryAfter = refused.headers.get("retry-after");
        assertNotNull(retryAfter, refused.headers.toString());
        assertTrue(Long.parseLong(retryAfter) >= 1, retryAfter);
        JsonObject problem = Hub.json(refused.body);
        assertEquals("too-many-requests", problem.getString("condition"));
        assertTrue(problem.getString("text").contains("eventstream.publish.rate"), problem.toString());
    }

    private static String token(String user, List<String> channels, List<String> publish) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(user).claim("channels", channels);
        if (publish != null) {
            claims.claim("publish", publish);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(KEY));
        return jwt.serialize();
    }

    // --- the node's side ---

    private static double metric(String series) throws IOException, InterruptedException {
        return Hub.metric(hub.get("metrics").body(), series);
    }

    /** Lines of the node's log that contain {@code text}, once at least one does (its output reaches the file late). */
    private static int awaitLogLines(String text) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int lines;
        while ((lines = countLines(node.log(), text)) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return lines;
    }

    private static int countLines(String log, String text) {
        Matcher line = Pattern.compile("(?m)^.*" + Pattern.quote(text) + ".*$").matcher(log);
        int count = 0;
        while (line.find()) {
            count++;
        }
        return count;
    }

    /** What the server answered to a request the test sent. */
    private void count(int status) {
        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    }

    private interface Request<T> {
        T send(int index) throws Exception;
    }

    // Sends `count` requests from 8 threads at once; every answer's status is counted.
    private <T> List<T> concurrently(int count, Request<T> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<T>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                sent.add(pool.submit((Callable<T>) () -> request.send(index)));
            }
            List<T> answers = new ArrayList<>();
            for (Future<T> answer : sent) {
                T value = answer.get(60, TimeUnit.SECONDS);
                count(value instanceof Answer a ? a.status : ((SseClient) value).status());
                answers.add(value);
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
