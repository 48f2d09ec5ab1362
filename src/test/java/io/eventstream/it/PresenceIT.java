package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.eventstream.it.support.Deployments;
import io.eventstream.it.support.Hub;
import io.eventstream.it.support.HubProcess;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.SseEvent;
import io.eventstream.it.support.TwoNodes;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Presence on two nodes (Payara Micro processes) sharing a real Artemis broker: the subscriber count of a channel,
 * over HTTP and from Java, agrees on both nodes; it is asked like a subscription; and known users' joins and leaves
 * reach the channel once, across nodes, with a reconnect inside the keep-alive not a leave.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the last test stops node B
class PresenceIT {

    private static final String KEY = "presence-it-key-of-at-least-32-bytes!!";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String ADMIN_TOKEN = "presence-it-admin";

    private static TwoNodes cluster;
    private static Hub a;
    private static Hub b;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<SseClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path war = Deployments.export(Deployments.eventstream(), "presence");
        cluster = TwoNodes.start("presence", war, Map.of(
                "eventstream.subscribe.jwt.key", KEY,
                "eventstream.channels.public", "lobby*",
                "eventstream.presence.events", "room/*",
                "eventstream.admin.token", ADMIN_TOKEN), Map.of());
        a = cluster.a;
        b = cluster.b;
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(SseClient::close);
    }

    private static String token(String user, String channels) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder().subject(user).claim("channels", List.of(channels)).build());
        jwt.sign(new MACSigner(KEY));
        return jwt.serialize();
    }

    private SseClient open(Hub hub, String channel, String token) throws Exception {
        SseClient client = token == null ? hub.subscribe(channel)
                : SseClient.open(hub.channels(channel), Map.of("Authorization", "Bearer " + token));
        clients.add(client);
        assertEquals("stream-open", client.next(WAIT).event());
        return client;
    }

    private HttpResponse<String> count(Hub hub, String channel, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(hub.uri("channels/" + channel)).timeout(WAIT).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int subscribers(Hub hub, String channel) throws Exception {
        return subscribers(hub, channel, null);
    }

    private int subscribers(Hub hub, String channel, String token) throws Exception {
        HttpResponse<String> answer = count(hub, channel, token);
        assertEquals(200, answer.statusCode(), answer.body());
        JsonObject body = Hub.json(answer.body());
        assertEquals(channel, body.getString("channel"));
        return body.getInt("subscribers");
    }

    private static int fromJava(Hub hub, String channel) throws Exception {
        HttpResponse<String> answer = hub.get("it/send/presence?channel=" + channel);
        assertEquals(200, answer.statusCode(), answer.body());
        return Integer.parseInt(answer.body().trim());
    }

    // Polls both nodes until the channel's count satisfies `expected` on each, over HTTP and from Java; returns how
    // long it took. The counts travel between nodes once a second: there is nothing to wait on but the answer.
    private long awaitCount(String channel, IntPredicate expected) throws Exception {
        return awaitCount(channel, null, expected);
    }

    private long awaitCount(String channel, String token, IntPredicate expected) throws Exception {
        long start = System.nanoTime();
        long deadline = start + WAIT.toNanos();
        while (true) {
            List<Integer> seen = List.of(subscribers(a, channel, token), subscribers(b, channel, token), fromJava(a, channel), fromJava(b, channel));
            if (seen.stream().allMatch(expected::test)) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("counts of " + channel + " on A, B (HTTP), A, B (Java): " + seen);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void bothNodesCountEveryNodesSubscribersAndSeeThemGo() throws Exception {
        List<SseClient> onA = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            onA.add(open(a, "lobby", null));
        }
        open(b, "lobby", null);
        open(b, "lobby", null);
        long agreedMillis = awaitCount("lobby", count -> count == 5);
        System.out.println("presence: 5 subscribers on two nodes agreed on both after " + agreedMillis + " ms");

        onA.get(0).close();
        onA.get(1).close();
        // Payara finds a client gone only when writing to it fails (the keep-alive, within ~1.5 s here).
        long goneMillis = awaitCount("lobby", count -> count == 3);
        System.out.println("presence: 2 closed clients left the count on both nodes after " + goneMillis + " ms");
    }

    @Test
    void aCountIsAskedLikeASubscription() throws Exception {
        assertEquals(0, subscribers(a, "lobby-nobody-reads"), "an unknown channel has no subscribers");

        HttpResponse<String> refused = count(a, "room/secret", null);
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals("forbidden", Hub.json(refused.body()).getString("condition"));
        assertEquals("application/json", refused.headers().firstValue("Content-Type").orElse("").split(";")[0]);

        HttpResponse<String> otherRoom = count(b, "room/secret", token("eve", "room/public"));
        assertEquals(403, otherRoom.statusCode(), "a token for another channel: " + otherRoom.body());
        assertFalse(otherRoom.body().contains("room/public-"), otherRoom.body());

        String carol = token("carol", "room/*");
        open(a, "room/secret", carol);
        HttpResponse<String> allowed = count(b, "room/secret", carol);
        assertEquals(200, allowed.statusCode(), allowed.body());

        HttpResponse<String> bad = count(a, "bad%20name", null);
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("bad-request", Hub.json(bad.body()).getString("condition"));
        assertEquals(404, count(a, "", null).statusCode());
    }

    @Test
    void knownUsersJoinAndLeaveOnceAcrossNodesAndAQuickReconnectIsNoLeave() throws Exception {
        String room = "room/" + System.nanoTime();
        SseClient bob = open(a, room, token("bob", "room/*"));
        assertPresence(bob, "presence-join", "bob");

        SseClient alice = open(b, room, token("alice", "room/*"));
        open(b, room, token(null, "room/*")); // a token without a subject: counted, but never joined
        assertPresence(bob, "presence-join", "alice");

        alice.close();
        SseClient again = open(a, room, token("alice", "room/*")); // back at once, on the other node
        // Long enough for a leave to be sent: the node finds the closed stream gone (~1.5 s), then the keep-alive (1 s).
        assertEquals(List.of(), bob.drain(Duration.ofSeconds(5)), "a reconnect within the keep-alive is neither a leave nor a join");

        again.close();
        assertPresence(bob, "presence-leave", "alice");
        assertEquals(List.of(), bob.drain(Duration.ofSeconds(3)), "one leave, sent by one node");
        awaitCount(room, token("bob", "room/*"), count -> count == 2); // bob and the reader without a subject
    }

    // The admin feed's next cluster snapshot on `hub` for which `expected` holds; fails after WAIT with the last seen.
    private static JsonObject awaitSnapshot(SseClient feed, Predicate<JsonObject> expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonObject seen = null;
        while (System.nanoTime() < deadline) {
            SseEvent event = feed.poll(Duration.ofSeconds(2));
            if (event != null && event.event().equals("cluster")) {
                seen = Hub.json(event.data());
                if (expected.test(seen)) {
                    return seen;
                }
            }
        }
        throw new AssertionError("no such cluster snapshot within " + WAIT + "; last: " + seen);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void bothAdminPagesShowBothNodesAndANodeThatStopsLeavesAtOnce() throws Exception {
        SseClient feedA = SseClient.open(a.uri("admin/stream"), Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
        SseClient feedB = SseClient.open(b.uri("admin/stream"), Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
        clients.add(feedA);
        clients.add(feedB);
        open(b, "lobby-stop", null);
        open(b, "lobby-stop", null);
        for (SseClient feed : List.of(feedA, feedB)) {
            JsonObject snapshot = awaitSnapshot(feed, cluster -> cluster.getJsonObject("totals").getInt("up") == 2
                    && cluster.getJsonArray("busiest").stream().map(JsonValue::asJsonObject)
                    .anyMatch(channel -> channel.getString("channel").equals("lobby-stop") && channel.getInt("subscribers") == 2));
            assertEquals(2, snapshot.getJsonArray("nodes").size(), snapshot.toString());
        }
        awaitCount("lobby-stop", count -> count == 2);

        long stopping = System.nanoTime();
        cluster.nodeB.stop(); // SIGTERM: B undeploys and says it is leaving
        awaitSnapshot(feedA, snapshot -> snapshot.getJsonObject("totals").getInt("nodes") == 1);
        assertEquals(0, subscribers(a, "lobby-stop"));
        assertEquals(0, fromJava(a, "lobby-stop"));
        System.out.println("presence: node B stopped; A forgot it and its 2 subscribers "
                + (System.nanoTime() - stopping) / 1_000_000 + " ms after the SIGTERM (B's own stop included)");
    }

    private static void assertPresence(SseClient client, String type, String user) throws InterruptedException {
        SseEvent event = client.next(WAIT);
        assertEquals(type, event.event(), String.valueOf(event));
        assertEquals("{\"user\":\"" + user + "\"}", event.data());
    }
}
