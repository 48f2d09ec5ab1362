package io.eventstream.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.api.EventStreamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublishRequestTest {

    @Test
    void readsEventAndCompactData() {
        PublishRequest request = PublishRequest.parse("{\"event\":\"greet\",\n \"data\": {\"text\": \"hi\"}}");
        assertEquals("greet", request.event());
        assertEquals("{\"text\":\"hi\"}", request.data());
    }

    @Test
    void eventIsOptional() {
        PublishRequest request = PublishRequest.parse("{\"data\":null}");
        assertNull(request.event());
        assertEquals("null", request.data());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"data\"", "{}", "{\"event\":\"x\"}", "{\"event\":7,\"data\":1}",
        "{\"data\":1,\"channel\":\"other\"}", "{\"data\":1,", ""})
    void refusesBodiesOutsideTheContract(String body) {
        assertThrows(EventStreamException.class, () -> PublishRequest.parse(body));
    }

    @Test
    void refusesForgedIdsWithAReason() {
        EventStreamException refused = assertThrows(EventStreamException.class,
                () -> PublishRequest.parse("{\"data\":1,\"id\":\"forged\"}"));
        assertTrue(refused.getMessage().contains("assigned by the hub"), refused.getMessage());
    }
}
