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
}
