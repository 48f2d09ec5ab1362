package io.eventstream.core.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.api.Refusal;
import io.eventstream.core.event.ChannelEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseFramesTest {

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }

    @Test
    void anEventCarriesItsIdTypeAndData() {
        assertEquals("id: 42-a\nevent: message\ndata: {\"text\":\"hé\"}\n\n",
                text(SseFrames.of(new ChannelEvent("42-a", "news", "message", "{\"text\":\"hé\"}"))));
    }

    @Test
    void dataWithLineBreaksGoesOnSeveralDataLines() {
        assertEquals("event: t\ndata: a\ndata: b\ndata: c\ndata: \ndata: d\n\n",
                text(SseFrames.frame(null, "t", -1, "a\nb\r\nc\r\rd")));
    }

    @Test
    void streamOpenSetsTheReconnectDelayAndThePositionWhenThereIsOne() {
        assertEquals("id: p-1\nevent: stream-open\nretry: 3000\ndata: {}\n\n", text(SseFrames.streamOpen(3000, "p-1")));
        assertEquals("event: stream-open\nretry: 3000\ndata: {}\n\n", text(SseFrames.streamOpen(3000, null)));
    }

    @Test
    void controlEventsCarryJson() {
        assertEquals("event: stream-reset\ndata: {\"channels\":[\"a\",\"b/1\"]}\n\n",
                text(SseFrames.streamReset(List.of("a", "b/1"))));
        assertEquals("event: stream-error\ndata: {\"condition\":\"forbidden\",\"text\":\"no \\\"a\\\"\"}\n\n",
                text(SseFrames.streamError(Refusal.FORBIDDEN, "no \"a\"")));
    }

    @Test
    void onlyPublishedAndCustomEventsCountAsEventsNotCommentsOrControlEvents() {
        assertTrue(SseFrames.isEvent(SseFrames.of(new ChannelEvent("e1", "news", "message", "{}"))));
        assertTrue(SseFrames.isEvent(SseFrames.of("tick", "{}")));
        assertTrue(SseFrames.isEvent(SseFrames.of(new ChannelEvent("e2", "news", "stream-opened", "{}"))));
        assertFalse(SseFrames.isEvent(SseFrames.COMMENT));
        assertFalse(SseFrames.isEvent(SseFrames.streamOpen(3000, "e1")));
        assertFalse(SseFrames.isEvent(SseFrames.streamOpen(3000, null)));
        assertFalse(SseFrames.isEvent(SseFrames.streamReset(List.of("news"))));
        assertFalse(SseFrames.isEvent(SseFrames.streamError(Refusal.FORBIDDEN, "no")));
    }
}
