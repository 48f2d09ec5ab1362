package io.eventstream.core.access;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.eventstream.api.ChannelAuthorizer;
import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.config.Settings;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Who may read and publish, for each way access can be configured. */
class AccessPolicyTest {

    private static final String SECRET = "a-secret-of-at-least-32-bytes-long!!";
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Principal ALICE = () -> "alice";

    /** An application's authorizer: allows the "user:channel" pairs it is given (null user: "null:channel"). */
    private static ChannelAuthorizer allowing(String... pairs) {
        Set<String> allowed = Set.of(pairs);
        return (user, channel) -> allowed.contains(user + ":" + channel);
    }

    private static AccessPolicy policy(Map<String, String> settings, ChannelAuthorizer... authorizers) {
        return new AccessPolicy(Settings.of(settings), List.of(authorizers), CLOCK);
    }

    private static Map<String, String> withKey(String... more) {
        Map<String, String> settings = new HashMap<>(Map.of("subscribe.jwt.key", SECRET));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    private static String token(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET));
        return jwt.serialize();
    }

    private static String token(String subject, List<String> channels) throws Exception {
        return token(new JWTClaimsSet.Builder().subject(subject).claim("channels", channels).build());
    }

    private static String publishToken(List<String> channels) throws Exception {
        return token(new JWTClaimsSet.Builder().subject("publisher").claim("publish", channels).build());
    }

    private static Caller bearer(AccessPolicy policy, String token) {
        return policy.identify(null, "Bearer " + token, null, null);
    }

    private static void assertRefused(Refusal condition, Executable refused) {
        assertEquals(condition, assertThrows(EventStreamException.class, refused).refusal());
    }

    // --- reading ---

    @Test
    void aPatternNeedsATokenGrantCoveringEveryChannelItCanMatch() throws Exception {
        AccessPolicy policy = policy(withKey("channels.public", "public/*"));
        Caller alice = bearer(policy, token("alice", List.of("user/alice/*", "news")));
        assertTrue(policy.canRead(alice, "user/alice/*"));
        assertTrue(policy.canRead(alice, "user/alice/inbox/*"));
        assertFalse(policy.canRead(alice, "user/*"));
        assertFalse(policy.canRead(alice, "news*"), "a grant of one channel is no grant of a pattern");
        assertTrue(policy.canRead(Caller.ANONYMOUS, "public/events/*"), "public patterns cover patterns too");
        assertFalse(policy.canRead(Caller.ANONYMOUS, "public*"));
        EventStreamException refused = assertThrows(EventStreamException.class,
                () -> policy.requireReadable(alice, List.of("user/alice/*", "user/*")));
        assertEquals(Refusal.FORBIDDEN, refused.refusal());
        assertTrue(refused.getMessage().startsWith("not allowed to read user/*"), "names the pattern: " + refused.getMessage());
    }

    @Test
    void anAuthorizerRefusesPatternsUnlessItSaysOtherwise() {
        AccessPolicy unaware = policy(Map.of(), allowing("alice:user/alice/inbox"));
        Caller alice = new Caller("alice", null);
        assertTrue(unaware.canRead(alice, "user/alice/inbox"));
        assertFalse(unaware.canRead(alice, "user/alice/*"), "an authorizer written for channels never allows a pattern");

        ChannelAuthorizer aware = new ChannelAuthorizer() {
            @Override public boolean canRead(String user, String channel) { return channel.startsWith("user/" + user + "/"); }
            @Override public boolean canReadPattern(String user, String pattern) { return pattern.startsWith("user/" + user + "/"); }
        };
        AccessPolicy policy = policy(Map.of(), aware);
        assertTrue(policy.canRead(alice, "user/alice/*"));
        assertFalse(policy.canRead(alice, "user/bob/*"));
        assertTrue(policy(Map.of()).canRead(alice, "user/*"), "no authorizer and no key: everything is open");
    }

    @Test
    void withNoKeyAndNoAuthorizerEveryChannelIsOpenToAnyone() {
        AccessPolicy policy = policy(Map.of());
        assertFalse(policy.tokensRequired());
        assertTrue(policy.canRead(Caller.ANONYMOUS, "news"));
        assertTrue(policy.canRead(new Caller("alice", null), "user/bob/inbox"));
        assertDoesNotThrow(() -> policy.requireReadable(Caller.ANONYMOUS, List.of("a", "b")));
        // Without a key a token means nothing here: not even a malformed one is an error.
        assertEquals(new Caller("alice", null), policy.identify(ALICE, "Bearer not-a-jwt", null, null));
    }

    @Test
    void withAKeyOnlyATokenGrantsItsChannelsAndPatternsAndAnyoneReadsThePublicOnes() throws Exception {
        AccessPolicy policy = policy(withKey("channels.public", "lobby, public/*"));
        assertTrue(policy.tokensRequired());
        Caller alice = bearer(policy, token("alice", List.of("news", "course/*")));
        assertEquals("alice", alice.user());

        assertTrue(policy.canRead(alice, "news"));
        assertTrue(policy.canRead(alice, "course/42"));
        assertFalse(policy.canRead(alice, "course"));
        assertFalse(policy.canRead(alice, "sport"));
        assertTrue(policy.canRead(alice, "lobby"));
        assertTrue(policy.canRead(Caller.ANONYMOUS, "lobby"));
        assertTrue(policy.canRead(Caller.ANONYMOUS, "public/x"));
        assertFalse(policy.canRead(Caller.ANONYMOUS, "news"));
        assertFalse(policy.canRead(new Caller("alice", null), "news"), "the container's user has no grant without a token");

        EventStreamException refused = assertThrows(EventStreamException.class,
                () -> policy.requireReadable(Caller.ANONYMOUS, List.of("lobby", "news", "sport")));
        assertEquals(Refusal.FORBIDDEN, refused.refusal());
        assertEquals("not allowed to read news, sport without a subscriber token", refused.getMessage());
        assertRefused(Refusal.FORBIDDEN, () -> policy.requireReadable(alice, List.of("news", "sport")));
        assertDoesNotThrow(() -> policy.requireReadable(alice, List.of("news", "course/1", "lobby")));
    }

    @Test
    void withAnAuthorizerOnlyItDecidesForTheUserOrAnonymous() {
        AccessPolicy policy = policy(Map.of(), allowing("alice:news", "null:lobby"));
        assertFalse(policy.tokensRequired());
        assertTrue(policy.canRead(new Caller("alice", null), "news"));
        assertFalse(policy.canRead(new Caller("alice", null), "sport"));
        assertFalse(policy.canRead(new Caller("bob", null), "news"));
        assertTrue(policy.canRead(Caller.ANONYMOUS, "lobby"));
        assertFalse(policy.canRead(Caller.ANONYMOUS, "news"));
        EventStreamException refused = assertThrows(EventStreamException.class,
                () -> policy.requireReadable(new Caller("alice", null), List.of("news", "sport")));
        assertEquals(Refusal.FORBIDDEN, refused.refusal());
        assertEquals("not allowed to read sport", refused.getMessage());
    }

    @Test
    void withAKeyAndAnAuthorizerBothMustAllow() throws Exception {
        AccessPolicy policy = policy(withKey("channels.public", "lobby"), allowing("alice:news", "alice:lobby", "alice:other"));
        Caller alice = bearer(policy, token("alice", List.of("news", "sport")));
        assertTrue(policy.canRead(alice, "news"));
        assertFalse(policy.canRead(alice, "sport"), "granted by the token, refused by the authorizer");
        assertFalse(policy.canRead(alice, "other"), "allowed by the authorizer, not granted by the token");
        assertTrue(policy.canRead(alice, "lobby"));
        assertFalse(policy.canRead(Caller.ANONYMOUS, "lobby"), "a public channel is still the authorizer's to refuse");
    }

    @Test
    void withTwoAuthorizersNothingCanBeRead() throws Exception {
        AccessPolicy policy = policy(withKey("channels.public", "lobby"), allowing("alice:news", "null:lobby"),
                allowing("alice:news", "null:lobby"));
        Caller alice = bearer(policy, token("alice", List.of("news")));
        assertFalse(policy.canRead(alice, "news"));
        assertFalse(policy.canRead(Caller.ANONYMOUS, "lobby"));
        assertFalse(policy(Map.of(), (user, channel) -> true, (user, channel) -> true).canRead(Caller.ANONYMOUS, "news"));
    }

    @Test
    void withAMisconfiguredKeyOnlyPublicChannelsCanBeReadAndAPresentedTokenIs401() throws Exception {
        AccessPolicy policy = policy(Map.of("subscribe.jwt.key", "too-short", "channels.public", "lobby"));
        assertTrue(policy.tokensRequired());
        assertTrue(policy.canRead(Caller.ANONYMOUS, "lobby"));
        assertFalse(policy.canRead(Caller.ANONYMOUS, "news"));
        String token = token("alice", List.of("news"));
        EventStreamException refused = assertThrows(EventStreamException.class, () -> bearer(policy, token));
        assertEquals(Refusal.UNAUTHORIZED, refused.refusal());
        assertTrue(refused.getMessage().contains("eventstream.subscribe.jwt.key"), refused.getMessage());
        assertEquals(Caller.ANONYMOUS, policy.identify(null, null, null, null));
    }

    // --- who is asking ---

    @Test
    void aTokenIsTakenFromTheHeaderThenTheCookie() throws Exception {
        AccessPolicy policy = policy(withKey());
        String alice = token("alice", List.of("news"));
        String bob = token("bob", List.of("news"));
        assertEquals("alice", policy.identify(null, "Bearer " + alice, null, null).user());
        assertEquals("alice", policy.identify(null, "bearer " + alice, null, null).user());
        assertEquals("bob", policy.identify(null, null, bob, null).user());
        assertEquals("alice", policy.identify(null, "Bearer " + alice, bob, null).user(), "the header wins");
        assertEquals("bob", policy.identify(null, "Basic YWxpY2U6cHc=", bob, null).user(), "not a bearer header");
        assertTrue(policy.identify(null, null, bob, null).token().read().matches("news"));
    }

    @Test
    void aTokenInTheUrlIsRefusedUnlessAllowed() throws Exception {
        String alice = token("alice", List.of("news"));
        EventStreamException refused = assertThrows(EventStreamException.class,
                () -> policy(withKey()).identify(null, null, null, alice));
        assertEquals(Refusal.BAD_REQUEST, refused.refusal());
        assertTrue(refused.getMessage().contains("eventstream.subscribe.allow-query-token"), refused.getMessage());
        // With a header or cookie the query parameter is not looked at.
        assertEquals("alice", policy(withKey()).identify(null, null, alice, "whatever").user());

        AccessPolicy allowing = policy(withKey("subscribe.allow-query-token", "true"));
        assertEquals("alice", allowing.identify(null, null, null, alice).user());
        assertRefused(Refusal.UNAUTHORIZED, () -> allowing.identify(null, null, null, "forged"));
    }

    @Test
    void theContainersUserIsTheReaderUnlessATokenNamesAnother() throws Exception {
        AccessPolicy policy = policy(withKey());
        assertEquals(new Caller("alice", null), policy.identify(ALICE, null, null, null));
        assertEquals(new Caller("alice", null), policy.identify(ALICE, null, "  ", null), "a blank cookie is no token");
        assertEquals("bob", policy.identify(ALICE, "Bearer " + token("bob", List.of("news")), null, null).user());
        Caller anonymousToken = policy.identify(ALICE, null,
                token(new JWTClaimsSet.Builder().claim("channels", List.of("news")).build()), null);
        assertEquals("alice", anonymousToken.user(), "a token without sub keeps the container's user");
        assertTrue(anonymousToken.token().read().matches("news"));
        Caller noToken = policy(Map.of()).identify(null, null, null, null);
        assertNull(noToken.user());
        assertNull(noToken.token());
    }

    @Test
    void aTokenThatDoesNotVerifyOrHasExpiredIs401() throws Exception {
        AccessPolicy policy = policy(withKey());
        String expired = token(new JWTClaimsSet.Builder().subject("alice").claim("channels", List.of("news"))
                .expirationTime(Date.from(NOW.minusSeconds(120))).build());
        for (String token : List.of("garbage", "a.b.c", expired)) {
            assertRefused(Refusal.UNAUTHORIZED, () -> policy.identify(null, "Bearer " + token, null, null));
            assertRefused(Refusal.UNAUTHORIZED, () -> policy.identify(null, null, token, null));
        }
    }

    // --- publishing over HTTP (the cases of the former PublishTokenTest, and signed tokens) ---

    @Test
    void theSharedPublishTokenIsAcceptedWhateverTheCaseOfBearer() {
        AccessPolicy policy = policy(Map.of("publish.token", "s3cret"));
        assertDoesNotThrow(() -> policy.requirePublishable("Bearer s3cret", "news"));
        assertDoesNotThrow(() -> policy.requirePublishable("bearer s3cret", "news"));
        assertDoesNotThrow(() -> policy.requirePublishable("BEARER s3cret", "any/channel"));
    }

    @Test
    void thePublisherIsTheSharedTokenOrTheSignedTokensSubjectOrItsDigestNeverTheToken() throws Exception {
        AccessPolicy policy = policy(withKey("publish.token", "s3cret"));
        assertEquals(AccessPolicy.SHARED_PUBLISHER, policy.requirePublishable("Bearer s3cret", "news"));
        assertEquals("publisher", policy.requirePublishable("Bearer " + publishToken(List.of("news")), "news"));
        String anonymous = token(new JWTClaimsSet.Builder().claim("publish", List.of("news")).build());
        String other = token(new JWTClaimsSet.Builder().claim("publish", List.of("news", "sport")).build());
        String named = policy.requirePublishable("Bearer " + anonymous, "news");
        assertTrue(named.matches("token sha256:[0-9a-f]{16}"), named);
        assertFalse(named.contains(anonymous));
        assertEquals(named, policy.requirePublishable("Bearer " + anonymous, "news"), "one token, one publisher");
        assertFalse(named.equals(policy.requirePublishable("Bearer " + other, "news")), "two tokens, two publishers");
    }

    @Test
    void aMissingOrWrongPublishTokenIs401() {
        AccessPolicy policy = policy(Map.of("publish.token", "s3cret"));
        for (String authorization : new String[] {null, "", "Bearer wrong", "Bearer s3cret2", "Bearer s3cre",
                "Basic czNjcmV0", "Bear", "Bearer ", "s3cret"}) {
            EventStreamException refused = assertThrows(EventStreamException.class,
                    () -> policy.requirePublishable(authorization, "news"), String.valueOf(authorization));
            assertEquals(Refusal.UNAUTHORIZED, refused.refusal(), String.valueOf(authorization));
            assertFalse(refused.getMessage().contains("s3cret"), "the refusal must not echo the token");
        }
    }

    @Test
    void httpPublishingIsOffWith403WhenNoSharedTokenIsConfigured() {
        EventStreamException refused = assertThrows(EventStreamException.class,
                () -> policy(Map.of()).requirePublishable("Bearer anything", "news"));
        assertEquals(Refusal.FORBIDDEN, refused.refusal());
        assertTrue(refused.getMessage().contains("eventstream.publish.token"), refused.getMessage());
        assertRefused(Refusal.FORBIDDEN, () -> policy(Map.of("publish.token", " ")).requirePublishable("Bearer  ", "news"));
        assertRefused(Refusal.FORBIDDEN, () -> policy(Map.of("publish.token", "")).requirePublishable("Bearer ", "news"));
        assertRefused(Refusal.FORBIDDEN, () -> policy(Map.of()).requirePublishable(null, "news"));
    }

    @Test
    void aSignedTokenPublishesToTheChannelsOfItsPublishClaimOnly() throws Exception {
        AccessPolicy policy = policy(withKey("publish.token", "s3cret"));
        String token = publishToken(List.of("news", "alerts/*"));
        assertDoesNotThrow(() -> policy.requirePublishable("Bearer " + token, "news"));
        assertDoesNotThrow(() -> policy.requirePublishable("Bearer " + token, "alerts/fire"));
        assertRefused(Refusal.UNAUTHORIZED, () -> policy.requirePublishable("Bearer " + token, "sport"));
        String reader = token("alice", List.of("news")); // may read news, not publish to it
        assertRefused(Refusal.UNAUTHORIZED, () -> policy.requirePublishable("Bearer " + reader, "news"));
        // Without a shared token, a signed token is still the way to publish.
        AccessPolicy keyOnly = policy(withKey());
        assertDoesNotThrow(() -> keyOnly.requirePublishable("Bearer " + token, "news"));
        // ...and one that does not grant the channel is a credential problem, not "publishing is off".
        EventStreamException ungranted = assertThrows(EventStreamException.class,
                () -> keyOnly.requirePublishable("Bearer " + token, "sport"));
        assertEquals(Refusal.UNAUTHORIZED, ungranted.refusal());
        assertTrue(ungranted.getMessage().contains("'publish' claim grants 'sport'"), ungranted.getMessage());
        assertFalse(ungranted.getMessage().contains("eventstream.publish.token"), ungranted.getMessage());
        // Without a key, a signed token is nothing.
        assertRefused(Refusal.UNAUTHORIZED,
                () -> policy(Map.of("publish.token", "s3cret")).requirePublishable("Bearer " + token, "news"));
    }
}
