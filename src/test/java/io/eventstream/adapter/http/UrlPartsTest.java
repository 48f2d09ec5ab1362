package io.eventstream.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eventstream.api.EventStreamException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlPartsTest {

    @Test
    void repeatedParametersKeepTheirOrderAndAreDecodedAsUtf8() {
        Map<String, List<String>> query = UrlParts.query("channel=a&channel=course-state%2F42&x=%C3%A9+1&flag&&");
        assertEquals(List.of("a", "course-state/42"), query.get("channel"));
        assertEquals(List.of("é 1"), query.get("x"));
        assertEquals(List.of(""), query.get("flag"));
    }

    @Test
    void anAbsentQueryHasNoParameters() {
        assertEquals(Map.of(), UrlParts.query(null));
        assertEquals(Map.of(), UrlParts.query(""));
    }

    @Test
    void aPathKeepsItsPlusAndDecodesEscapes() {
        assertEquals("/a+b/c d:é", UrlParts.path("/a+b/c%20d%3A%C3%A9"));
    }

    @Test
    void aMalformedEscapeIsABadRequest() {
        assertThrows(EventStreamException.class, () -> UrlParts.query("channel=%zz"));
        assertThrows(EventStreamException.class, () -> UrlParts.path("/a%2"));
    }
}
