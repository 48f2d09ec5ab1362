package io.eventstream.it.support;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Every publish attempt of a test, with its outcome: acknowledged ({@code 202} and the event's id) or not (refused,
 * or its answer lost with a node or a proxy); and the check of what a client got against it.
 *
 * <p>Each attempt carries data of its own ({@code "<publisher>-<n>"}), so an event a client got names its attempt.
 * An attempt that was not acknowledged may or may not have been published: a node can hand an event to the broker
 * and die before it answers. Thread-safe: publishers record from their own threads.
 */
public final class PublishLog {

    /** One publish: {@code id} is the event's id when it was acknowledged, else null; {@code answer} says what came back. */
    public record Attempt(String publisher, int number, String channel, String data, String id, String answer) {

        public boolean acknowledged() {
            return id != null;
        }
    }

    private final List<Attempt> attempts = new ArrayList<>(); // guarded by this
    private final Map<String, Attempt> byData = new HashMap<>(); // guarded by this
    private int acknowledgedCount; // guarded by this

    /** Publishes {@code data} (a JSON value unique to this attempt) to {@code channel} and records the outcome. */
    public Attempt publish(Hub hub, String publisher, int number, String channel, String data) throws InterruptedException {
        Attempt attempt;
        try {
            HttpResponse<String> response = hub.publish(channel, "{\"data\":" + data + "}");
            String answer = response.statusCode() + " " + response.body();
            attempt = new Attempt(publisher, number, channel, data,
                    response.statusCode() == 202 ? Hub.json(response.body()).getString("id") : null, answer);
        } catch (IOException e) {
            attempt = new Attempt(publisher, number, channel, data, null, e.toString());
        }
        record(attempt);
        return attempt;
    }

    /** Publishes once, failing unless the hub acknowledges it; returns the event's id. */
    public String publishAcknowledged(Hub hub, String publisher, int number, String channel) throws InterruptedException {
        Attempt attempt = publish(hub, publisher, number, channel, "\"" + publisher + "-" + number + "\"");
        if (!attempt.acknowledged()) {
            throw new AssertionError("publish of " + attempt.data() + " to " + channel + ": " + attempt.answer());
        }
        return attempt.id();
    }

    public synchronized void record(Attempt attempt) {
        if (byData.putIfAbsent(attempt.data(), attempt) != null) {
            throw new IllegalArgumentException("data " + attempt.data() + " was published before: each attempt needs its own");
        }
        attempts.add(attempt);
        if (attempt.acknowledged()) {
            acknowledgedCount++;
        }
        notifyAll();
    }

    /** Waits until {@code count} attempts in all were acknowledged, or fails saying how the others went. */
    public synchronized void awaitAcknowledged(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acknowledgedCount() < count) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new AssertionError(acknowledgedCount() + " of " + count + " publishes acknowledged within " + timeout
                        + "; the others: " + unacknowledged());
            }
            wait(left);
        }
    }

    /** The acknowledged attempts on {@code channel}, in the order they were recorded. */
    public synchronized List<Attempt> acknowledged(String channel) {
        return attempts.stream().filter(a -> a.acknowledged() && a.channel().equals(channel)).toList();
    }

    public synchronized int acknowledgedCount() {
        return acknowledgedCount;
    }

    /** How many attempts were not acknowledged, by answer (status and body, or the exception). */
    public synchronized Map<String, Long> unacknowledged() {
        return attempts.stream().filter(a -> !a.acknowledged())
                .collect(Collectors.groupingBy(a -> a.answer().length() > 80 ? a.answer().substring(0, 80) : a.answer(),
                        Collectors.counting()));
    }

    /**
     * The ways the messages a client got on {@code channels} differ from what was published there, or null when it
     * got each acknowledged event exactly once with its acknowledged id, each publisher's events in the order that
     * publisher sent them, and nothing that was never attempted there; unacknowledged attempts may be present or not.
     */
    public synchronized String difference(List<SseEvent> got, Collection<String> channels) {
        Set<String> seen = new HashSet<>();
        Map<String, Integer> lastNumber = new HashMap<>();
        List<String> problems = new ArrayList<>();
        int duplicates = 0;
        for (int i = 0; i < got.size(); i++) {
            SseEvent event = got.get(i);
            Attempt attempt = byData.get(event.data());
            String problem = null;
            if (attempt == null) {
                problem = "was never published";
            } else if (!channels.contains(attempt.channel())) {
                problem = "was published to " + attempt.channel() + ", not one of " + channels;
            } else if (!seen.add(event.data())) {
                problem = "is a duplicate";
                duplicates++;
            } else if (attempt.acknowledged() && !attempt.id().equals(event.id())) {
                problem = "has id " + event.id() + ", acknowledged as " + attempt.id();
            } else if (lastNumber.getOrDefault(attempt.publisher(), -1) > attempt.number()) {
                problem = "is out of order: after " + attempt.publisher() + "-" + lastNumber.get(attempt.publisher());
            }
            if (attempt != null) {
                lastNumber.merge(attempt.publisher(), attempt.number(), Math::max);
            }
            if (problem != null && problems.size() < 10) {
                problems.add("message " + i + " " + event.data() + " (id " + event.id() + ") " + problem);
            }
        }
        Set<String> missing = new LinkedHashSet<>();
        int acknowledged = 0;
        for (Attempt attempt : attempts) {
            if (attempt.acknowledged() && channels.contains(attempt.channel())) {
                acknowledged++;
                if (!seen.contains(attempt.data())) {
                    missing.add(attempt.data());
                }
            }
        }
        if (problems.isEmpty() && missing.isEmpty()) {
            return null;
        }
        return "got " + got.size() + " messages on " + channels + ", " + acknowledged + " acknowledged there; missing "
                + missing.size() + " acknowledged " + missing.stream().limit(10).toList() + ", " + duplicates
                + " duplicates; first problems: " + problems;
    }
}
