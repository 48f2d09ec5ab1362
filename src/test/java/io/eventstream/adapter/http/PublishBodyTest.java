package io.eventstream.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.api.EventStreamException;
import io.eventstream.api.Refusal;
import io.eventstream.core.publish.EventDraft;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublishBodyTest {

    @Test
    void readsEventAndCompactData() {
        EventDraft event = PublishBody.one("{\"event\":\"greet\",\n \"data\": {\"text\": \"hi\"}}", "news");
        assertEquals(new EventDraft("news", "greet", "{\"text\":\"hi\"}"), event);
    }

    @Test
    void eventIsOptional() {
        EventDraft event = PublishBody.one("{\"data\":null}", "news");
        assertNull(event.type());
        assertEquals("null", event.json());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"data\"", "{}", "{\"event\":\"x\"}", "{\"event\":7,\"data\":1}",
        "{\"data\":1,\"channel\":\"other\"}", "{\"data\":1,", ""})
    void refusesBodiesOutsideTheContract(String body) {
        assertThrows(EventStreamException.class, () -> PublishBody.one(body, "news"));
    }

    @Test
    void refusesForgedIdsWithAReason() {
        EventStreamException refused = assertThrows(EventStreamException.class,
                () -> PublishBody.one("{\"data\":1,\"id\":\"forged\"}", "news"));
        assertTrue(refused.getMessage().contains("assigned by the hub"), refused.getMessage());
    }

    @Test
    void readsABatchInOrderWithEachItemsChannel() {
        List<Integer> sizes = new ArrayList<>();
        List<EventDraft> batch = PublishBody.batch("[{\"channel\":\"a\",\"data\":1},"
                + "{\"channel\":\"b/c\",\"event\":\"tick\",\"data\":{\"x\": [1, 2]}}]", sizes::add);
        assertEquals(List.of(new EventDraft("a", null, "1"), new EventDraft("b/c", "tick", "{\"x\":[1,2]}")), batch);
        assertEquals(List.of(2), sizes, "the size is told before the items are read");
    }

    @Test
    void aBatchIsAnArray() {
        EventStreamException refused = assertThrows(EventStreamException.class,
                () -> PublishBody.batch("{\"channel\":\"a\",\"data\":1}", size -> { }));
        assertEquals(Refusal.BAD_REQUEST, refused.refusal());
        assertTrue(refused.getMessage().contains("JSON array"), refused.getMessage());
    }

    @Test
    void theSizeCheckRunsBeforeAnyItemIsRead() {
        EventStreamException tooMany = new EventStreamException(Refusal.TOO_LARGE, "too many");
        EventStreamException refused = assertThrows(EventStreamException.class,
                () -> PublishBody.batch("[1, 2, 3]", size -> {
                    throw tooMany;
                }));
        assertEquals(tooMany, refused);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[{\"channel\":\"a\",\"data\":1}, {\"data\":2}]|item 1: has no 'channel' field",
        "[{\"channel\":\"a\",\"data\":1}, 7]|item 1: must be a JSON object",
        "[{\"channel\":\"a\",\"data\":1}, {\"channel\":\"a\",\"data\":1}, {\"channel\":3,\"data\":1}]|item 2: 'channel' must be a string",
        "[{\"channel\":\"a\"}]|item 0: the event has no 'data' field",
        "[{\"channel\":\"a\",\"data\":1,\"id\":\"x\"}]|item 0: unknown field 'id'",
        "[{\"channel\":\"a\",\"data\":1,\"event\":false}]|item 0: 'event' must be a string"})
    void aBadItemIsNamedByItsIndex(String bodyAndText) {
        String[] parts = bodyAndText.split("\\|");
        EventStreamException refused = assertThrows(EventStreamException.class, () -> PublishBody.batch(parts[0], size -> { }));
        assertEquals(Refusal.BAD_REQUEST, refused.refusal());
        assertTrue(refused.getMessage().startsWith(parts[1]), refused.getMessage());
    }
}
