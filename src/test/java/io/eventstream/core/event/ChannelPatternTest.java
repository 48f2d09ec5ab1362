package io.eventstream.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.api.EventStreamException;
import io.eventstream.api.Refusal;
import org.junit.jupiter.api.Test;

class ChannelPatternTest {

    @Test
    void aPatternEndsInOneStarAfterASlashOrInsideTheLastSegment() {
        assertEquals("user/alice/*", ChannelPattern.require("user/alice/*", false));
        assertEquals("course-state*", ChannelPattern.require("course-state*", false));
        assertEquals("a/b:c@d*", ChannelPattern.require("a/b:c@d*", false));
        assertTrue(ChannelPattern.isPattern("user/*"));
        assertFalse(ChannelPattern.isPattern("user/alice"));
    }

    @Test
    void aStarAnywhereButAtTheEndOrTwiceIsRefusedSayingWhatIsAllowed() {
        for (String bad : new String[] {"user/*/inbox", "us*er", "user/al*ce/x", "user/**", "*/x", "a*b*", "", "news"}) {
            EventStreamException refused = assertThrows(EventStreamException.class, () -> ChannelPattern.require(bad, true), bad);
            assertEquals(Refusal.BAD_REQUEST, refused.refusal());
            assertTrue(refused.getMessage().contains("may only end a pattern"), refused.getMessage());
        }
    }

    @Test
    void aPatternSpelledUnlikeAChannelIsRefused() {
        for (String bad : new String[] {"/user/*", "user alice/*", "user/ä*", "x".repeat(128) + "*"}) {
            assertEquals(Refusal.BAD_REQUEST, assertThrows(EventStreamException.class,
                    () -> ChannelPattern.require(bad, true), bad).refusal());
        }
    }

    @Test
    void theStarAloneNeedsTheSettingThatAllowsIt() {
        EventStreamException refused = assertThrows(EventStreamException.class, () -> ChannelPattern.require("*", false));
        assertTrue(refused.getMessage().contains("eventstream.channels.allow-all-pattern=true"), refused.getMessage());
        assertEquals("*", ChannelPattern.require("*", true));
        assertTrue(ChannelPattern.matches("*", "anything/at/all"));
    }

    @Test
    void aPatternMatchesTheChannelsItsPrefixBeginsAndCoversNarrowerEntries() {
        assertTrue(ChannelPattern.matches("user/alice/*", "user/alice/inbox"));
        assertTrue(ChannelPattern.matches("user/alice/*", "user/alice/inbox/2"));
        assertFalse(ChannelPattern.matches("user/alice/*", "user/alice"));
        assertFalse(ChannelPattern.matches("user/alice/*", "user/alicex/inbox"));
        assertTrue(ChannelPattern.matches("course-*", "course-42"));
        assertTrue(ChannelPattern.covers("user/*", "user/alice/*"));
        assertTrue(ChannelPattern.covers("user/*", "user/alice"));
        assertFalse(ChannelPattern.covers("user/alice/*", "user/*"));
    }
}
