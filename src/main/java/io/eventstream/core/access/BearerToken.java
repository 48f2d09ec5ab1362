package io.eventstream.core.access;

import java.util.Optional;

/** Reads the credentials of an {@code Authorization: Bearer ...} header, the one way both publishing and subscribing take a token. */
public final class BearerToken {

    private static final String SCHEME = "Bearer ";

    private BearerToken() {
    }

    /** The token of a bearer {@code Authorization} header; empty for none or another scheme (Basic, say). */
    public static Optional<String> from(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(SCHEME.length()).trim());
    }
}
