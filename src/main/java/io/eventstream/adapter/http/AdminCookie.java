package io.eventstream.adapter.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The admin page's login cookie: its value is an HMAC-SHA256 of a fixed label keyed by {@code eventstream.admin.token},
 * so the browser never holds the token itself, every node that shares the token accepts it, and changing the token
 * ends every login. Compared in constant time.
 */
final class AdminCookie {

    /** The cookie's name. */
    static final String NAME = "eventstream-admin";
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] LABEL = "eventstream admin page login v1".getBytes(StandardCharsets.UTF_8);

    private AdminCookie() {
    }

    /** The cookie value that {@code token} signs: the label's HMAC, base64url without padding. */
    static String value(String token) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(token));
    }

    /** Whether {@code presented} (a cookie's value, or null) is the value {@code token} signs. */
    static boolean verifies(String token, String presented) {
        return presented != null && MessageDigest.isEqual(value(token).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether {@code presented} (a login form's field or a bearer token, or null) is {@code token}: their HMACs are
     * compared, in constant time and at a fixed length, so neither a prefix nor the length leaks through timing.
     */
    static boolean tokenMatches(String token, String presented) {
        return presented != null && !presented.isEmpty() && MessageDigest.isEqual(mac(token), mac(presented));
    }

    /** The {@code Set-Cookie} header of a login: HttpOnly, SameSite=Strict, for {@code path} only, Secure over HTTPS. */
    static String set(String value, String path, boolean secure) {
        return NAME + "=" + value + attributes(path, secure);
    }

    /** The {@code Set-Cookie} header of a logout: the cookie emptied and expired. */
    static String cleared(String path, boolean secure) {
        return NAME + "=; Max-Age=0" + attributes(path, secure);
    }

    private static String attributes(String path, boolean secure) {
        return "; Path=" + path + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    private static byte[] mac(String key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return mac.doFinal(LABEL);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
