package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.eventstream.it.probes.TestAuthorizer;
import io.eventstream.it.probes.TestLogins;
import io.eventstream.it.support.Deployments;
import io.eventstream.it.support.HeadlessChromium;
import io.eventstream.it.support.Hub;
import io.eventstream.it.support.HubProcess;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.SseEvent;
import io.eventstream.it.support.TwoNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;

/**
 * Who may read and publish, on two nodes sharing a real Artemis broker, with a WAR that has an application
 * {@code ChannelAuthorizer} ({@link TestAuthorizer}) and HTTP Basic logins ({@link TestLogins}).
 */
class SecurityIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String KEY = "security-it-secret-of-at-least-32-bytes";
    private static final String APP_ORIGIN = "http://app.example";

    private static TwoNodes cluster;
    private static Hub a;
    private static Hub b;
    private static Path revocations;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        revocations = Files.createTempFile(HubProcess.TARGET.toAbsolutePath(), "revocations", ".txt");
        cluster = TwoNodes.start("secure", Deployments.secured(), Map.of(
                "eventstream.subscribe.jwt.key", KEY,
                "eventstream.channels.public", "news,public/*",
                "eventstream.connections.max-per-user", "2",
                "eventstream.cors.origins", APP_ORIGIN,
                "eventstream.it.revocations", revocations.toString()),
                Map.of("eventstream.subscribe.allow-query-token", "true"));
        a = cluster.a;
        b = cluster.b;
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String token(String user, List<String> channels, Instant expires, List<String> publish) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().claim("channels", channels);
        if (user != null) {
            claims.subject(user);
        }
        if (expires != null) {
            claims.expirationTime(Date.from(expires));
        }
        if (publish != null) {
            claims.claim("publish", publish);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(KEY));
        return jwt.serialize();
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + TestLogins.USERS.get(user)).getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(SseClient client, int status, String condition) {
        assertEquals(status, client.status(), client.errorBody());
        assertEquals(condition, Hub.json(client.errorBody()).getString("condition"), client.errorBody());
    }

    @Test
    void publicChannelsAreOpenToAnyoneAndOthersNeedAGrant() throws Exception {
        try (SseClient open = a.subscribe("news", "public/board")) {
            assertEquals("stream-open", open.next(WAIT).event());
        }
        try (SseClient refused = a.subscribe("news", "payroll")) {
            assertRefused(refused, 403, "forbidden");
            assertTrue(Hub.json(refused.errorBody()).getString("text").contains("payroll"));
        }
    }

    @Test
    void aTokenIsAcceptedInTheHeaderTheCookieAndOnlyWhereAllowedTheQuery() throws Exception {
        String token = token("carol", List.of("feed/*"), Instant.now().plusSeconds(600), null);
        try (SseClient header = SseClient.open(a.channels("feed/1", "news"), Map.of("Authorization", "Bearer " + token));
             SseClient cookie = SseClient.open(a.channels("feed/2"), Map.of("Cookie", "eventstream-token=" + token))) {
            assertEquals("stream-open", header.next(WAIT).event());
            assertEquals("stream-open", cookie.next(WAIT).event());
            var published = a.publish("feed/2", "{\"data\":\"granted\"}");
            assertEquals(202, published.statusCode(), published.body());
            assertEquals("\"granted\"", cookie.next(WAIT).data());
        }
        try (SseClient queryOff = SseClient.open(a.uri("events?channel=feed/1&token=" + token))) {
            assertRefused(queryOff, 400, "bad-request");
        }
        try (SseClient queryOn = SseClient.open(b.uri("events?channel=feed/1&token=" + token))) {
            assertEquals("stream-open", queryOn.next(WAIT).event());
        }
        try (SseClient notGranted = SseClient.open(a.channels("payroll"), Map.of("Authorization", "Bearer " + token))) {
            assertRefused(notGranted, 403, "forbidden");
        }
    }

    @Test
    void anExpiredForgedOrMalformedTokenIs401() throws Exception {
        String expired = token("carol", List.of("feed/*"), Instant.now().minusSeconds(120), null);
        SignedJWT forgedJwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder().subject("carol").claim("channels", List.of("feed/*")).build());
        forgedJwt.sign(new MACSigner("not-the-hub-key-but-32-bytes-long!!"));
        String forged = forgedJwt.serialize();
        for (String token : List.of(expired, forged, "not-a-jwt")) {
            try (SseClient refused = SseClient.open(a.channels("feed/1"), Map.of("Cookie", "eventstream-token=" + token))) {
                assertRefused(refused, 401, "unauthorized");
                assertTrue(refused.header("WWW-Authenticate").startsWith("Bearer"));
            }
        }
    }

    @Test
    void theAuthorizerDecidesForContainerUsersTokenUsersAndAnonymous() throws Exception {
        try (SseClient alice = SseClient.open(a.channels("public/mine/alice"), Map.of("Authorization", basic("alice")))) {
            assertEquals("stream-open", alice.next(WAIT).event());
        }
        try (SseClient bob = SseClient.open(a.channels("public/mine/alice"), Map.of("Authorization", basic("bob")));
             SseClient anonymous = a.subscribe("public/mine/alice")) {
            assertRefused(bob, 403, "forbidden");
            assertRefused(anonymous, 403, "forbidden");
        }
        String bobsToken = token("bob", List.of("private/*"), null, null);
        try (SseClient own = SseClient.open(a.channels("private/bob"), Map.of("Authorization", "Bearer " + bobsToken));
             SseClient others = SseClient.open(a.channels("private/alice"), Map.of("Authorization", "Bearer " + bobsToken))) {
            assertEquals("stream-open", own.next(WAIT).event());
            assertRefused(others, 403, "forbidden"); // granted by the token, refused by the authorizer
        }
    }

    @Test
    void aPatternNeedsAGrantCoveringItAndTheAuthorizersConsentAndARefusalNamesIt() throws Exception {
        String carols = token("carol", List.of("feed/*"), Instant.now().plusSeconds(600), null);
        try (SseClient granted = SseClient.open(a.channels("feed/carol/*"), Map.of("Authorization", "Bearer " + carols));
             SseClient wider = SseClient.open(b.channels("*", "feed/x"), Map.of("Authorization", "Bearer " + carols));
             SseClient tooWide = SseClient.open(a.channels("f*"), Map.of("Authorization", "Bearer " + carols));
             SseClient publicFeed = a.subscribe("public/feed/*");
             SseClient authorizerSaysNo = b.subscribe("public/*")) {
            assertEquals("stream-open", granted.next(WAIT).event());
            assertRefused(wider, 400, "bad-request"); // '*' alone is off (eventstream.channels.allow-all-pattern)
            assertTrue(Hub.json(wider.errorBody()).getString("text").contains("eventstream.channels.allow-all-pattern"));
            assertRefused(tooWide, 403, "forbidden");
            assertEquals("not allowed to read f*", Hub.json(tooWide.errorBody()).getString("text"));
            assertEquals("stream-open", publicFeed.next(WAIT).event());
            assertRefused(authorizerSaysNo, 403, "forbidden"); // public, but it could match public/mine/<someone>
            assertTrue(Hub.json(authorizerSaysNo.errorBody()).getString("text").contains("public/*"));

            var published = b.publish("public/feed/news", "{\"data\":1}");
            assertEquals(202, published.statusCode(), published.body());
            assertEquals("1", publicFeed.next(WAIT).data(), "an event of a matching channel published on the other node");
        }
    }

    @Test
    void aRevocationOnOneNodeEndsOnlyTheAffectedStreamsOnEveryNode() throws Exception {
        String token = token("dave", List.of("rev/*"), null, null);
        Map<String, String> auth = Map.of("Authorization", "Bearer " + token);
        try (SseClient onB = SseClient.open(b.channels("rev/a"), auth);
             SseClient onA = SseClient.open(a.channels("rev/a", "news"), auth);
             SseClient unaffected = SseClient.open(b.channels("rev/b"), auth)) {
            for (SseClient client : List.of(onB, onA, unaffected)) {
                assertEquals("stream-open", client.next(WAIT).event());
            }
            Files.writeString(revocations, "dave rev/a\n");
            long announcedAt = System.nanoTime();
            var announced = a.post("it/permissions?user=dave&channel=rev/a", null, null, "");
            assertEquals(204, announced.statusCode(), announced.body());

            for (SseClient revoked : List.of(onB, onA)) {
                SseEvent error = revoked.next(WAIT);
                assertEquals("stream-error", error.event());
                assertEquals("forbidden", Hub.json(error.data()).getString("condition"));
                revoked.awaitEnd(WAIT);
                System.out.printf("SecurityIT: revoked stream ended %d ms after the announcement%n",
                        (System.nanoTime() - announcedAt) / 1_000_000);
            }
            assertEquals(202, b.publish("rev/b", "{\"data\":\"still here\"}").statusCode());
            assertEquals("\"still here\"", unaffected.next(WAIT).data());
        } finally {
            Files.writeString(revocations, "");
        }
        try (SseClient again = SseClient.open(a.channels("rev/a"), auth)) {
            assertEquals("stream-open", again.next(WAIT).event(), "access restored once the authorizer allows it");
        }
    }

    @Test
    void aStreamEndsWhenItsTokenExpires() throws Exception {
        String token = token("erin", List.of("feed/*"), Instant.now().plusSeconds(3), null);
        try (SseClient client = SseClient.open(a.channels("feed/exp"), Map.of("Authorization", "Bearer " + token))) {
            assertEquals("stream-open", client.next(WAIT).event());
            SseEvent error = client.next(Duration.ofSeconds(15)); // the token's 3 s life, with room for a busy machine
            assertEquals("stream-error", error.event());
            assertEquals("unauthorized", Hub.json(error.data()).getString("condition"));
            client.awaitEnd(WAIT);
        }
    }

    @Test
    void aCustomStreamKnowsItsUserFromTheContainerOrTheToken() throws Exception {
        String token = token("hana", List.of(), null, null);
        Map<Map<String, String>, String> expected = Map.of(
                Map.of("Authorization", basic("bob")), "bob",
                Map.of("Cookie", "eventstream-token=" + token), "hana",
                Map.of(), "anonymous");
        for (var entry : expected.entrySet()) {
            try (SseClient client = SseClient.open(a.uri("streams/whoami"), entry.getKey())) {
                assertEquals("stream-open", client.next(WAIT).event());
                assertEquals("{\"user\":\"" + entry.getValue() + "\"}", client.next(WAIT).data());
            }
        }
    }

    @Test
    void aUserOverTheConnectionLimitGets429() throws Exception {
        Map<String, String> alice = Map.of("Authorization", basic("alice"));
        try (SseClient first = SseClient.open(b.channels("news"), alice);
             SseClient second = SseClient.open(b.channels("news"), alice)) {
            assertEquals("stream-open", first.next(WAIT).event());
            assertEquals("stream-open", second.next(WAIT).event());
            try (SseClient third = SseClient.open(b.channels("news"), alice)) {
                assertRefused(third, 429, "too-many-requests");
                assertEquals("10", third.header("Retry-After"));
            }
            try (SseClient bob = SseClient.open(b.channels("news"), Map.of("Authorization", basic("bob")))) {
                assertEquals("stream-open", bob.next(WAIT).event(), "the limit is per user");
            }
        }
    }

    @Test
    void aCustomStreamEndsWithStreamErrorUnauthorizedWhenItsTokenExpires() throws Exception {
        Instant expires = Instant.now().plusSeconds(3);
        String token = token("ivan", List.of(), expires, null);
        Instant expiredAt = expires.truncatedTo(ChronoUnit.SECONDS); // a JWT's exp is in whole seconds
        try (SseClient client = SseClient.open(a.uri("streams/whoami"), Map.of("Authorization", "Bearer " + token))) {
            assertEquals("stream-open", client.next(WAIT).event());
            assertEquals("{\"user\":\"ivan\"}", client.next(WAIT).data());
            SseEvent error = client.next(Duration.ofSeconds(15)); // the token's 3 s life, with room for a busy machine
            Instant endedAt = Instant.now();
            assertEquals("stream-error", error.event());
            assertEquals("unauthorized", Hub.json(error.data()).getString("condition"));
            assertFalse(endedAt.isBefore(expiredAt), "ended at " + endedAt + ", before the token expired at " + expiredAt);
            client.awaitEnd(WAIT);
        }
    }

    @Test
    void customStreamsCountTowardsTheUsersConnectionLimitAndFreeTheirSlotWhenClosed() throws Exception {
        // A user of their own (a token's subject), so no stream another test left behind counts against them.
        Map<String, String> jack = Map.of("Authorization", "Bearer " + token("jack", List.of(), null, null));
        try (SseClient first = SseClient.open(a.uri("streams/whoami"), jack);
             SseClient second = SseClient.open(a.uri("streams/whoami"), jack)) {
            for (SseClient client : List.of(first, second)) {
                assertEquals("stream-open", client.next(WAIT).event());
                assertEquals("{\"user\":\"jack\"}", client.next(WAIT).data());
            }
            // eventstream.connections.max-per-user is 2: two custom streams fill it, for custom and channel streams alike.
            for (String path : List.of("streams/whoami", "events?channel=news")) {
                try (SseClient refused = SseClient.open(a.uri(path), jack)) {
                    assertRefused(refused, 429, "too-many-requests");
                    assertTrue(refused.header("Content-Type").startsWith("application/json"), refused.header("Content-Type"));
                    assertEquals("10", refused.header("Retry-After"), path);
                }
            }
            second.close();
            // Payara reports no disconnect: the next keep-alive writes (PT1S) find it, and the stream closes.
            a.awaitStatus(status -> status.getInt("connections") == 1, WAIT);
            try (SseClient again = SseClient.open(a.uri("streams/whoami"), jack)) {
                assertEquals("stream-open", again.next(WAIT).event(), "the closed stream's slot is free again");
                assertEquals("{\"user\":\"jack\"}", again.next(WAIT).data());
            }
        }
    }

    @Test
    void corsAllowsTheConfiguredOriginWithCredentialsAndNoOther() throws Exception {
        HttpResponse<String> preflight = send("OPTIONS", "events/news", APP_ORIGIN, Map.of(
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type"));
        assertEquals(204, preflight.statusCode());
        assertEquals(APP_ORIGIN, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("true", preflight.headers().firstValue("Access-Control-Allow-Credentials").orElse(null));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));

        HttpResponse<String> evilPreflight = send("OPTIONS", "events/news", "http://evil.example",
                Map.of("Access-Control-Request-Method", "POST"));
        assertEquals(403, evilPreflight.statusCode());
        assertNull(evilPreflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

        assertEquals(APP_ORIGIN, send("GET", "status", APP_ORIGIN, Map.of()).headers()
                .firstValue("Access-Control-Allow-Origin").orElse(null));
        assertNull(send("GET", "status", "http://evil.example", Map.of()).headers()
                .firstValue("Access-Control-Allow-Origin").orElse(null));
    }

    @Test
    void aTokenWithAPublishClaimPublishesToItsChannelsOnly() throws Exception {
        String publisher = token("frank", List.of(), null, List.of("announce/*"));
        try (SseClient reader = SseClient.open(a.channels("announce/1"),
                Map.of("Authorization", "Bearer " + token(null, List.of("announce/*"), null, null)))) {
            assertEquals("stream-open", reader.next(WAIT).event());
            var granted = b.post("events/announce/1", "Bearer " + publisher, "application/json", "{\"data\":1}");
            assertEquals(202, granted.statusCode(), granted.body());
            assertEquals("1", reader.next(WAIT).data());
        }
        var refused = b.post("events/news", "Bearer " + publisher, "application/json", "{\"data\":1}");
        assertEquals(401, refused.statusCode(), refused.body());
    }

    @Test
    void aBatchIsAuthorizedPerChannelAndOneRefusedItemPublishesNothing() throws Exception {
        String publisher = token("frank", List.of(), null, List.of("announce/*"));
        try (SseClient reader = SseClient.open(a.channels("announce/2", "announce/3"),
                Map.of("Authorization", "Bearer " + token(null, List.of("announce/*"), null, null)))) {
            assertEquals("stream-open", reader.next(WAIT).event());
            var refused = b.post("events", "Bearer " + publisher, "application/json",
                    "[{\"channel\":\"announce/2\",\"data\":\"not sent\"},{\"channel\":\"news\",\"data\":2}]");
            assertEquals(401, refused.statusCode(), refused.body());
            assertTrue(Hub.json(refused.body()).getString("text").startsWith("item 1: "), refused.body());
            var granted = b.post("events", "Bearer " + publisher, "application/json",
                    "[{\"channel\":\"announce/3\",\"data\":\"first\"},{\"channel\":\"announce/2\",\"data\":\"second\"}]");
            assertEquals(202, granted.statusCode(), granted.body());
            assertEquals(List.of("\"first\"", "\"second\""), reader.take(2, WAIT).stream().map(SseEvent::data).toList(),
                    "the refused batch's first item was never published");
        }
    }

    @Test
    void aPlainBrowserEventSourceReadsAProtectedChannelWithTheTokenCookie() throws Exception {
        String token = token("gina", List.of("feed/browser"), Instant.now().plusSeconds(600), null);
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            var browser = chromium.driver;
            var page = (JavascriptExecutor) browser;
            browser.get(a.uri("status").toString()); // the hub's origin, where the application sets the cookie
            browser.manage().addCookie(new Cookie("eventstream-token", token, a.uri("").getPath()));
            page.executeScript("window.got = []; window.states = [];"
                    + "for (const channel of ['feed/browser', 'payroll']) {"
                    + "  const source = new EventSource('events/' + channel);"
                    + "  source.addEventListener('stream-open', () => states.push(channel + ' open'));"
                    + "  source.addEventListener('message', (e) => got.push(channel + ' ' + e.data));"
                    + "  source.onerror = () => { if (source.readyState === EventSource.CLOSED) states.push(channel + ' refused'); };"
                    + "}");
            chromium.await(() -> states(page).containsAll(List.of("feed/browser open", "payroll refused")),
                    "the granted stream to open and the other to be refused", WAIT, () -> states(page).toString());
            assertEquals(202, a.publish("feed/browser", "{\"data\":\"to the browser\"}").statusCode());
            chromium.await(() -> List.of("feed/browser \"to the browser\"").equals(page.executeScript("return window.got")),
                    "the event", WAIT, () -> String.valueOf(page.executeScript("return window.got")));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> states(JavascriptExecutor page) {
        return (List<String>) page.executeScript("return window.states");
    }

    private HttpResponse<String> send(String method, String path, String origin, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(a.uri(path).toString()))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Origin", origin);
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
