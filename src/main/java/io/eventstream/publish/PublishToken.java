package io.eventstream.publish;

import io.eventstream.access.BearerToken;
import jakarta.ws.rs.core.Response.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Checks the bearer token of an HTTP publish against {@code eventstream.publish.token}, in constant time. */
final class PublishToken {

    private PublishToken() {
    }

    /** Returns empty when the request may publish, otherwise the status to refuse it with. */
    static Optional<Status> refusal(Optional<String> configured, String authorization) {
        if (configured.isEmpty() || configured.get().isBlank()) {
            return Optional.of(Status.FORBIDDEN);
        }
        Optional<String> bearer = BearerToken.from(authorization);
        if (bearer.isEmpty()) {
            return Optional.of(Status.UNAUTHORIZED);
        }
        byte[] given = bearer.get().getBytes(StandardCharsets.UTF_8);
        byte[] expected = configured.get().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected) ? Optional.empty() : Optional.of(Status.UNAUTHORIZED);
    }
}
