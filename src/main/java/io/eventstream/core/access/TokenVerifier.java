package io.eventstream.core.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Verifies signed tokens (JWT) with the configured key: an HS256 secret, or an RSA public key in PEM form for
 * RS256. Only that one algorithm is accepted, so a token cannot pick a weaker one.
 */
public final class TokenVerifier {

    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final JWSAlgorithm algorithm;
    private final JWSVerifier verifier;
    private final Clock clock;

    /**
     * @param key the HS256 secret (at least 32 bytes), or {@code -----BEGIN PUBLIC KEY-----...} for RS256
     * @throws IllegalArgumentException when the key cannot be used, saying why
     */
    public TokenVerifier(String key, Clock clock) {
        this.clock = clock;
        try {
            if (key.strip().startsWith("-----BEGIN PUBLIC KEY-----")) {
                algorithm = JWSAlgorithm.RS256;
                verifier = new RSASSAVerifier(rsaPublicKey(key));
            } else {
                algorithm = JWSAlgorithm.HS256;
                verifier = new MACVerifier(key.getBytes(StandardCharsets.UTF_8));
            }
        } catch (JOSEException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("eventstream.subscribe.jwt.key cannot be used: an HS256 secret must have "
                    + "at least 32 bytes, an RS256 key must be a PEM public key (" + e.getMessage() + ")", e);
        }
    }

    private static RSAPublicKey rsaPublicKey(String pem) throws GeneralSecurityException {
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        return (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** The token's grants; throws {@code 401} when it is malformed, not signed with our key, or expired. */
    public SubscriberToken verify(String token) {
        JWTClaimsSet claims;
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!algorithm.equals(jwt.getHeader().getAlgorithm())) {
                throw refused("the token must be signed with " + algorithm);
            }
            if (!jwt.verify(verifier)) {
                throw refused("the token's signature does not match eventstream.subscribe.jwt.key");
            }
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | JOSEException | IllegalStateException e) {
            throw refused("the token is not a signed JWT");
        }
        Instant expiresAt = claims.getExpirationTime() == null ? null : claims.getExpirationTime().toInstant();
        if (expiresAt != null && clock.instant().isAfter(expiresAt.plus(CLOCK_SKEW))) {
            throw refused("the token expired at " + expiresAt);
        }
        try {
            return new SubscriberToken(claims.getSubject(), patterns(claims, "channels"), patterns(claims, "publish"),
                    expiresAt);
        } catch (ParseException e) {
            throw refused("the token's claims are malformed: " + e.getMessage());
        }
    }

    private static ChannelPatterns patterns(JWTClaimsSet claims, String name) throws ParseException {
        List<String> values = claims.getStringListClaim(name);
        return ChannelPatterns.of(values == null ? List.of() : values);
    }

    private static EventStreamException refused(String why) {
        return new EventStreamException(Refusal.UNAUTHORIZED, why);
    }
}
