package io.eventstream.adapter.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameEventTest {

    private static byte[] frame(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theSameFrameHandedToSinkAfterSinkIsParsedOnce() {
        byte[] broadcast = frame("id: 7\nevent: price\ndata: {\"cents\":1}\n\n");
        FrameEvent first = FrameEvent.of(broadcast);
        assertSame(first, FrameEvent.of(broadcast));
        assertEquals("7", first.getId());
        assertEquals("price", first.getName());
        assertEquals("{\"cents\":1}", first.getData());
    }

    @Test
    void anEqualFrameInAnotherArrayIsParsedAfresh() {
        FrameEvent first = FrameEvent.of(frame("id: 8\nevent: message\ndata: 1\n\n"));
        FrameEvent second = FrameEvent.of(frame("id: 8\nevent: message\ndata: 1\n\n"));
        assertNotSame(first, second);
        assertEquals(first.getId(), second.getId());
        assertEquals("2", FrameEvent.of(frame("id: 9\nevent: message\ndata: 2\n\n")).getData());
    }
}
