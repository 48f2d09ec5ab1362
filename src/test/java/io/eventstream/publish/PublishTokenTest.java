package io.eventstream.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.ws.rs.core.Response.Status;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PublishTokenTest {

    private static final Optional<String> TOKEN = Optional.of("s3cret");

    @Test
    void acceptsTheConfiguredBearerToken() {
        assertEquals(Optional.empty(), PublishToken.refusal(TOKEN, "Bearer s3cret"));
        assertEquals(Optional.empty(), PublishToken.refusal(TOKEN, "bearer s3cret"));
    }

    @Test
    void refusesMissingOrWrongTokensWith401() {
        assertEquals(Optional.of(Status.UNAUTHORIZED), PublishToken.refusal(TOKEN, null));
        assertEquals(Optional.of(Status.UNAUTHORIZED), PublishToken.refusal(TOKEN, "Bearer wrong"));
        assertEquals(Optional.of(Status.UNAUTHORIZED), PublishToken.refusal(TOKEN, "Bearer s3cret2"));
        assertEquals(Optional.of(Status.UNAUTHORIZED), PublishToken.refusal(TOKEN, "Basic czNjcmV0"));
        assertEquals(Optional.of(Status.UNAUTHORIZED), PublishToken.refusal(TOKEN, "Bear"));
    }

    @Test
    void httpPublishingIsOffWith403WhenNoTokenIsConfigured() {
        assertEquals(Optional.of(Status.FORBIDDEN), PublishToken.refusal(Optional.empty(), "Bearer anything"));
        assertEquals(Optional.of(Status.FORBIDDEN), PublishToken.refusal(Optional.of(" "), "Bearer  "));
    }
}
