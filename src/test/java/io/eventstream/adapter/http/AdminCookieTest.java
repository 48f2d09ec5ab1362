package io.eventstream.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdminCookieTest {

    private static final String TOKEN = "admin-secret-of-some-length";

    @Test
    void theCookieValueIsAStableHmacThatNeverContainsTheToken() {
        String value = AdminCookie.value(TOKEN);
        assertEquals(value, AdminCookie.value(TOKEN), "every node that shares the token signs the same value");
        assertFalse(value.contains(TOKEN));
        assertEquals(43, value.length(), "32 bytes of HMAC-SHA256, base64url without padding");
        assertTrue(value.matches("[A-Za-z0-9_-]+"), "cookie-safe characters only: " + value);
        assertNotEquals(value, AdminCookie.value(TOKEN + "x"), "another token signs another value");
    }

    @Test
    void onlyTheValueTheTokenSignsVerifies() {
        String value = AdminCookie.value(TOKEN);
        assertTrue(AdminCookie.verifies(TOKEN, value));
        assertFalse(AdminCookie.verifies(TOKEN, null));
        assertFalse(AdminCookie.verifies(TOKEN, ""));
        assertFalse(AdminCookie.verifies(TOKEN, TOKEN), "the raw token is no login cookie");
        assertFalse(AdminCookie.verifies(TOKEN, value.substring(1)));
        assertFalse(AdminCookie.verifies(TOKEN, value + "A"));
        assertFalse(AdminCookie.verifies("changed-token", value), "changing the token ends every login");
    }

    @Test
    void aPresentedTokenMatchesOnlyWhenItIsTheToken() {
        assertTrue(AdminCookie.tokenMatches(TOKEN, TOKEN));
        assertFalse(AdminCookie.tokenMatches(TOKEN, null));
        assertFalse(AdminCookie.tokenMatches(TOKEN, ""));
        assertFalse(AdminCookie.tokenMatches(TOKEN, TOKEN.substring(0, TOKEN.length() - 1)), "a prefix");
        assertFalse(AdminCookie.tokenMatches(TOKEN, TOKEN + " "));
        assertFalse(AdminCookie.tokenMatches(TOKEN, AdminCookie.value(TOKEN)), "the cookie value is no token");
    }

    @Test
    void theCookieIsHttpOnlyStrictScopedToTheAdminPathAndSecureOverHttps() {
        assertEquals("eventstream-admin=abc; Path=/app/eventstream/admin; HttpOnly; SameSite=Strict",
                AdminCookie.set("abc", "/app/eventstream/admin", false));
        assertEquals("eventstream-admin=abc; Path=/admin; HttpOnly; SameSite=Strict; Secure",
                AdminCookie.set("abc", "/admin", true));
        assertEquals("eventstream-admin=; Max-Age=0; Path=/admin; HttpOnly; SameSite=Strict; Secure",
                AdminCookie.cleared("/admin", true));
    }
}
