package io.eventstream.core.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelPatternsTest {

    @Test
    void namesMatchExactlyAndPrefixesMatchWhatStartsWithThem() {
        ChannelPatterns patterns = ChannelPatterns.parse(" news , course-state/* ,,");
        assertTrue(patterns.matches("news"));
        assertFalse(patterns.matches("news2"));
        assertFalse(patterns.matches("new"));
        assertTrue(patterns.matches("course-state/42"));
        assertTrue(patterns.matches("course-state/"));
        assertFalse(patterns.matches("course-state"));
    }

    @Test
    void aLoneStarMatchesEverythingAndNothingMatchesNothing() {
        assertTrue(ChannelPatterns.of(List.of("*")).matches("anything/at/all"));
        assertFalse(ChannelPatterns.parse(null).matches("news"));
        assertFalse(ChannelPatterns.parse("").matches("news"));
    }

    @Test
    void aPatternIsCoveredOnlyByAPrefixGrantThatBeginsIt() {
        ChannelPatterns granted = ChannelPatterns.parse("user/alice/*, news, course-*");
        assertTrue(granted.covers("user/alice/*"));
        assertTrue(granted.covers("user/alice/inbox/*"));
        assertTrue(granted.covers("course-42/*"));
        assertFalse(granted.covers("user/*"), "wider than the grant");
        assertFalse(granted.covers("news*"), "an exact name grants no pattern");
        assertFalse(granted.covers("*"));
        assertTrue(ChannelPatterns.parse("*").covers("*"));
    }
}
