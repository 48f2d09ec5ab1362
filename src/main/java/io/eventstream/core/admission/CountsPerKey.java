package io.eventstream.core.admission;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Streams held per key (a user, a client address), each key bounded: counted when a stream is admitted, released by
 * its close action, and forgotten at zero, so the map never holds more keys than there are open streams.
 *
 * <p>Each change is one {@link ConcurrentHashMap#compute}, which runs atomically for its key (the map holds the key's
 * bin while the function runs): the check against the bound and the increment are one step. So N connects from one key
 * racing each other see the counts 0, 1, 2, ... in some order and exactly {@code max} of them get in; a burst cannot
 * slip under the bound, as it could if open streams were counted by a scan.
 */
final class CountsPerKey {

    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    /** Counts one more stream for {@code key}, unless it already holds {@code max}: false then, and nothing counted. */
    boolean tryAdd(String key, int max) {
        boolean[] full = {false};
        counts.compute(key, (name, count) -> {
            int now = count == null ? 0 : count;
            full[0] = now >= max;
            return full[0] ? count : Integer.valueOf(now + 1);
        });
        return !full[0];
    }

    /** Releases one stream of {@code key}. */
    void remove(String key) {
        counts.computeIfPresent(key, (name, count) -> count > 1 ? count - 1 : null);
    }

    /** Streams {@code key} holds. */
    int count(String key) {
        return counts.getOrDefault(key, 0);
    }

    /** Keys that hold a stream. */
    int keys() {
        return counts.size();
    }
}
