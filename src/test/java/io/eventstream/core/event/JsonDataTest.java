package io.eventstream.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.api.EventStreamException;
import jakarta.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonDataTest {

    public record Greeting(String text, int count, List<String> tags) {
    }

    @Test
    void multiLineJsonBecomesOneDataLine() {
        String pretty = "{\n  \"text\": \"hello\",\r\n  \"list\": [\n    1,\n    2\n  ]\n}";
        assertEquals("{\"text\":\"hello\",\"list\":[1,2]}", JsonData.normalize(pretty));
    }

    @Test
    void lineBreaksInsideStringsStayEscaped() {
        String framed = JsonData.of(Map.of("text", "line one\nline two\r\ndata: injected"));
        assertFalse(framed.contains("\n"));
        assertFalse(framed.contains("\r"));
        assertEquals("line one\nline two\r\ndata: injected",
                Json.createReader(new java.io.StringReader(framed)).readObject().getString("text"));
    }

    @Test
    void serializesRecordsWithJsonb() {
        assertEquals("{\"count\":2,\"tags\":[\"a\",\"b\"],\"text\":\"hi\"}", JsonData.of(new Greeting("hi", 2, List.of("a", "b"))));
    }

    @Test
    void writesJsonValuesAsTheyAre() {
        assertEquals("{\"a\":1}", JsonData.of(Json.createObjectBuilder().add("a", 1).build()));
        assertEquals("\"plain text\"", JsonData.of("plain text"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "\"text\"", "true", "null", "[1,{\"a\":[]}]", "-1.5"})
    void acceptsEveryKindOfJsonValue(String json) {
        assertEquals(json, JsonData.normalize(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":}", "not json", "{'a':1}", "[1,]", "{\"a\":1} trailing", "{\"a\":1}x",
        "{\"a\":1}{}", "[1]]", "{\"a\":\"raw\nline\"}", "{\"a\":\"unterminated}", "{\"a\":1,}", "01", "{\"a\"1}"})
    void refusesTextThatIsNotJson(String text) {
        assertThrows(EventStreamException.class, () -> JsonData.normalize(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"s\":\"a \\\" quote, spaces \\\\ and a \\\\\\\"\",\"n\":[1,2.5e3,null]}", "\"\\n\\t\"", "[]", "{}"})
    void compactTextIsReturnedAsItIs(String json) {
        assertEquals(json, JsonData.normalize(json));
    }

    @Test
    void whitespaceOutsideStringsIsRemovedAndInsideKept() {
        assertEquals("{\"a\":\"x  y\",\"b\":[1,2]}", JsonData.normalize("{\"a\" : \"x  y\",\n\t\"b\": [1, 2]}"));
    }

    @Test
    void jsonNestedDeeperThanTheParserAllowsIsInvalidNotAnError() {
        EventStreamException refused = assertThrows(EventStreamException.class,
                () -> JsonData.parse("[".repeat(5000) + "]".repeat(5000)));
        assertTrue(refused.getMessage().startsWith("body is not valid JSON"), refused.getMessage());
    }
}
