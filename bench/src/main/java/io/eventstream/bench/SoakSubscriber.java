package io.eventstream.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One of the soak scenario's subscriber processes: holds its share of the subscribers and keeps them reading as
 * clients would, always resuming with their last event id ({@code Last-Event-ID}): a stream the server ends
 * (its node stopped) reconnects after 1 to 3 s to its home node if up, else to another; a tenth of them reconnect
 * every minute, one after the other; once a stopped node is back, its subscribers move home again, 100 a second.
 * Every 5 s it writes its figures for the sampler ({@code stats-I-N}); at the end, what every subscriber holds of
 * what was published ({@code final-I}).
 */
final class SoakSubscriber {

    private static final long TICK_MILLIS = 250;
    private static final long STATS_NANOS = 5_000_000_000L;
    private static final double REBALANCE_PER_MINUTE = 6000; // 100 a second
    private static final double ROTATED_PER_MINUTE = 0.1;

    private final SoakPlan plan;
    private final int index;
    private final Rendezvous signals;
    private final int first;
    private final int count;
    private final long[] retryAt; // per connection id: when to open it again after it closed; 0: not noticed yet
    private double rotationDue;
    private long lastTend;
    private int cursor;
    private long dropped, failedAttempts, reconnects, rotated, rebalanced;

    SoakSubscriber(SoakPlan plan, int index) throws java.io.IOException {
        this.plan = plan;
        this.index = index;
        this.signals = new Rendezvous(plan.sync());
        this.first = ClusterPlan.firstSubscriber(plan.subscribers(), plan.clients(), index);
        this.count = ClusterPlan.share(plan.subscribers(), plan.clients(), index);
        this.retryAt = new long[count];
    }

    void run() throws Exception {
        try (SseClient client = new SseClient(Target.EVENTSTREAM, plan.nodes(), plan.sources())) {
            client.startRun(SoakPublisher.RUN);
            int got = client.connect(count, i -> plan.homeNodeOf(first + i), i -> plan.channelOf(first + i), i -> false,
                    600_000);
            log("connected %d of %d (%s per node)", got, count, Arrays.toString(client.connectedPerServer()));
            signals.put("ready-" + index, Map.of("held", got, "wanted", count));
            if (signals.await("started", 20 * 60_000) == null) {
                log("publishing never started; giving up");
                return;
            }
            long nextStats = System.nanoTime() + STATS_NANOS;
            int statsNumber = 0;
            long[] expected = null;
            long drainUntil = Long.MAX_VALUE;
            while (true) {
                NodeBoard board = NodeBoard.read(plan.sync());
                long now = System.nanoTime();
                client.withConnections(conns -> {
                    tend(client, conns, board, now);
                    return null;
                });
                if (now >= nextStats) {
                    signals.put("stats-" + index + "-" + statsNumber++, stats(client));
                    nextStats += STATS_NANOS;
                }
                if (expected == null) {
                    Map<String, String> published = signals.await("published", 0);
                    if (published != null) {
                        expected = JsonLine.longs(published.get("per_channel"));
                        drainUntil = Long.parseLong(published.get("drain_until_nanos"));
                    }
                }
                if (expected != null && (complete(client, expected) || now > drainUntil)) {
                    break;
                }
                Thread.sleep(TICK_MILLIS);
            }
            signals.put("stats-" + index + "-" + statsNumber, stats(client));
            long[] perChannel = expected;
            Map<String, Object> outcome = client.withConnections(conns -> outcome(conns, perChannel));
            signals.put("final-" + index, outcome);
            log("final: %s", outcome);
        }
    }

    /** One pass over the connections, on the client's selector thread: reconnects, rotation, moves home. */
    private void tend(SseClient client, List<SseClient.Conn> conns, NodeBoard board, long now) {
        // By the time passed, not by ticks: a busy machine stretches the ticks.
        double minutes = lastTend == 0 ? 0 : (now - lastTend) / 60e9;
        lastTend = now;
        int moveHome = (int) Math.max(1, REBALANCE_PER_MINUTE * minutes);
        rotationDue += count * ROTATED_PER_MINUTE * minutes;
        for (SseClient.Conn c : conns) {
            int home = plan.homeNodeOf(first + c.id);
            if (c.state == 3) { // ended by the server or failed to open: open it again after a while
                if (retryAt[c.id] == 0) {
                    if (c.answered) {
                        dropped++;
                    } else {
                        failedAttempts++;
                    }
                    retryAt[c.id] = now + ThreadLocalRandom.current().nextLong(1_000_000_000L, 3_000_000_000L);
                }
                int node = board.pick(home);
                if (now >= retryAt[c.id] && node >= 0) {
                    retryAt[c.id] = 0;
                    reconnects++;
                    client.reopen(c, node);
                }
            } else if (c.state == 2 && c.server != home && board.up(home) && moveHome > 0) {
                moveHome--;
                rebalanced++;
                client.reopen(c, home);
            }
        }
        for (; rotationDue >= 1; rotationDue--) {
            SseClient.Conn c = conns.get(cursor++ % conns.size());
            int node = board.pick(plan.homeNodeOf(first + c.id));
            if (c.state == 2 && node >= 0) {
                rotated++;
                client.reopen(c, node);
            }
        }
    }

    private Map<String, Object> stats(SseClient client) {
        LatencyHistogram latencies = client.takeLatencies();
        Map<String, Object> s = client.withConnections(conns -> {
            Map<String, Object> m = new LinkedHashMap<>();
            long dups = 0, reordered = 0, resets = 0, gaps = 0;
            for (SseClient.Conn c : conns) {
                dups += c.dups;
                reordered += c.reordered;
                resets += c.resets;
                gaps += c.maxSeq + 1 - c.distinct; // missing below the newest held: lost unless it comes late
            }
            m.put("nanos", System.nanoTime());
            m.put("dups", dups);
            m.put("reordered", reordered);
            m.put("resets", resets);
            m.put("gaps", gaps);
            putReconnects(m);
            return m;
        });
        s.put("delivered", client.delivered());
        s.put("open_per_node", JsonLine.list(Arrays.stream(client.connectedPerServer()).asLongStream().toArray()));
        s.put("latency_buckets", latencies.buckets());
        return s;
    }

    private static boolean complete(SseClient client, long[] expected) {
        return client.withConnections(conns -> conns.stream().allMatch(c -> c.distinct >= expected[c.channel]));
    }

    /** What every subscriber holds against what its channel was sent: the figures the verdict checks. */
    private Map<String, Object> outcome(List<SseClient.Conn> conns, long[] expected) {
        long want = 0, held = 0, lost = 0, dups = 0, reordered = 0, resets = 0, withResets = 0, exact = 0, excused = 0;
        long excusedLost = 0, excusedDups = 0;
        List<String> examples = new ArrayList<>();
        List<String> dupExamples = new ArrayList<>();
        for (SseClient.Conn c : conns) {
            long e = expected[c.channel];
            int inRange = c.seen.get(0, (int) e).cardinality();
            want += e;
            held += inRange;
            lost += e - inRange;
            dups += c.dups;
            reordered += c.reordered;
            resets += c.resets;
            withResets += c.resets > 0 ? 1 : 0;
            boolean ok = inRange == e && c.distinct == e && c.dups == 0 && c.reordered == 0;
            exact += ok ? 1 : 0;
            if (!ok && c.resets > 0) { // told by a stream-reset that its stream is not complete: excused, reported
                excused++;
                excusedLost += e - inRange;
                excusedDups += c.dups;
            }
            if (!ok && examples.size() < 10) {
                examples.add("subscriber " + (first + c.id) + " channel " + c.channel + ": " + inRange + " of " + e
                        + (inRange < e ? ", first missing " + c.seen.nextClearBit(0) : "") + ", dups " + c.dups
                        + ", reordered " + c.reordered + ", beyond " + (c.distinct - inRange));
            }
            if (c.firstDupSeq >= 0 && dupExamples.size() < 20) {
                dupExamples.add(c.channel + ":" + c.firstDupSeq);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subscribers", conns.size());
        m.put("exact", exact);
        m.put("excused", excused);
        m.put("excused_lost", excusedLost);
        m.put("excused_dups", excusedDups);
        m.put("expected", want);
        m.put("held", held);
        m.put("lost", lost);
        m.put("dups", dups);
        m.put("dup_first_seqs", String.join(" ", dupExamples));
        m.put("reordered", reordered);
        m.put("resets", resets);
        m.put("subscribers_with_resets", withResets);
        putReconnects(m);
        m.put("examples", String.join("; ", examples));
        return m;
    }

    /** Why and how often subscribers opened their streams again, since the start. */
    private void putReconnects(Map<String, Object> m) {
        m.put("dropped", dropped);
        m.put("failed_attempts", failedAttempts);
        m.put("reconnects", reconnects);
        m.put("rotated", rotated);
        m.put("rebalanced", rebalanced);
    }

    private void log(String format, Object... values) {
        Bench.logAs("eventstream soak subscriber " + index, format, values);
    }
}
