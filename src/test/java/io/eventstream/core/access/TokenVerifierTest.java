package io.eventstream.core.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

    private static final String SECRET = "a-secret-of-at-least-32-bytes-long!!";
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static String sign(JWSSigner signer, JWSAlgorithm algorithm, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("alice").claim("channels", List.of("news", "course/*"));
    }

    @Test
    void anHs256TokenGivesItsSubjectChannelsAndExpiry() throws Exception {
        Instant exp = NOW.plusSeconds(600);
        String token = sign(new MACSigner(SECRET), JWSAlgorithm.HS256,
                claims().expirationTime(Date.from(exp)).claim("publish", List.of("news")).build());
        SubscriberToken verified = new TokenVerifier(SECRET, CLOCK).verify(token);
        assertEquals("alice", verified.user());
        assertTrue(verified.read().matches("course/42"));
        assertFalse(verified.read().matches("secret"));
        assertTrue(verified.publish().matches("news"));
        assertEquals(exp, verified.expiresAt());
    }

    @Test
    void aTokenWithoutChannelsOrExpiryGrantsNothingAndDoesNotExpire() throws Exception {
        String token = sign(new MACSigner(SECRET), JWSAlgorithm.HS256, new JWTClaimsSet.Builder().build());
        SubscriberToken verified = new TokenVerifier(SECRET, CLOCK).verify(token);
        assertNull(verified.user());
        assertFalse(verified.read().matches("news"));
        assertNull(verified.expiresAt());
    }

    @Test
    void anRs256TokenVerifiesWithAPemPublicKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        String token = sign(new RSASSASigner(pair.getPrivate()), JWSAlgorithm.RS256, claims().build());
        assertEquals("alice", new TokenVerifier(pem, CLOCK).verify(token).user());
        // The same claims signed with HS256 must not pass where RS256 is configured.
        String hs = sign(new MACSigner(SECRET), JWSAlgorithm.HS256, claims().build());
        assertEquals(Refusal.UNAUTHORIZED, assertThrows(EventStreamException.class, () -> new TokenVerifier(pem, CLOCK).verify(hs)).refusal());
    }

    @Test
    void expiredForgedUnsignedAndGarbageTokensAre401() throws Exception {
        TokenVerifier verifier = new TokenVerifier(SECRET, CLOCK);
        String expired = sign(new MACSigner(SECRET), JWSAlgorithm.HS256,
                claims().expirationTime(Date.from(NOW.minusSeconds(60))).build());
        String otherKey = sign(new MACSigner("another-secret-of-32-bytes-or-more!!"), JWSAlgorithm.HS256, claims().build());
        String unsigned = new PlainJWT(claims().build()).serialize();
        String hs512 = sign(new MACSigner(SECRET + SECRET), JWSAlgorithm.HS512, claims().build());
        for (String token : List.of(expired, otherKey, unsigned, hs512, "garbage", "a.b.c", "")) {
            EventStreamException refused = assertThrows(EventStreamException.class, () -> verifier.verify(token), token);
            assertEquals(Refusal.UNAUTHORIZED, refused.refusal());
        }
        assertTrue(assertThrows(EventStreamException.class, () -> verifier.verify(expired)).getMessage().contains("expired"));
    }

    @Test
    void aTokenExpiredWithinTheClockSkewStillPasses() throws Exception {
        String token = sign(new MACSigner(SECRET), JWSAlgorithm.HS256,
                claims().expirationTime(Date.from(NOW.minusSeconds(10))).build());
        assertEquals("alice", new TokenVerifier(SECRET, CLOCK).verify(token).user());
    }

    @Test
    void aShortSecretIsRefusedAtConfigurationSayingWhy() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new TokenVerifier("short", CLOCK));
        assertTrue(refused.getMessage().contains("at least 32 bytes"), refused.getMessage());
    }
}
