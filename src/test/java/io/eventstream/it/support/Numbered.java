package io.eventstream.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Events numbered {@code "1"}, {@code "2"}, ... on one channel, and the check that a stream goes on with exactly a run of them. */
public final class Numbered {

    private Numbered() {
    }

    /** Publishes {@code "<from>"} to {@code "<to>"}, each acknowledged, adding their ids to {@code ids} (event n at n - 1). */
    public static List<String> publish(Hub hub, String channel, int from, int to, List<String> ids) throws Exception {
        if (ids.size() != from - 1) {
            throw new IllegalArgumentException("ids holds " + ids.size() + " events, so the next is " + (ids.size() + 1));
        }
        for (int i = from; i <= to; i++) {
            ids.add(hub.publishData(channel, "\"" + i + "\""));
        }
        return ids;
    }

    /** Publishes {@code "1"} to {@code "<count>"}; returns their ids (event n at n - 1). */
    public static List<String> publish(Hub hub, String channel, int count) throws Exception {
        return publish(hub, channel, 1, count, new ArrayList<>());
    }

    /** The next events of {@code client} must be {@code "<from>"} to {@code "<to>"}, with the ids they were acknowledged with. */
    public static void assertNext(SseClient client, int from, int to, List<String> ids, Duration wait) throws Exception {
        List<SseEvent> got = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            SseEvent event = client.next(wait);
            got.add(event);
            assertEquals("\"" + i + "\"", event.data(), "event " + got.size() + " of " + from + ".." + to + "; got " + got);
            assertEquals(ids.get(i - 1), event.id(), "the id event " + i + " was acknowledged with");
        }
    }
}
