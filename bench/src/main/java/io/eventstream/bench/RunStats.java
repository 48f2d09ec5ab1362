package io.eventstream.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the fast subscribers of one client saw of one run, given what was published: counts, and the latencies as a
 * histogram. The cluster scenario's subscriber processes send theirs to the publisher process, which adds them up.
 */
final class RunStats {

    int fastConns, slowConns, closed, openAtStart;
    long expected, delivered, lost, dups, reordered, stale;
    LatencyHistogram latencies = new LatencyHistogram(); // from each event's due time (see Publisher.data)
    LatencyHistogram latenciesFromSend = new LatencyHistogram(); // from the time it was sent
    long lastReceiveNanos; // System.nanoTime of the newest in-run event; one clock for every process (see Clock)

    long quantile(double q) {
        return latencies.quantile(q);
    }

    /** Adds another client's figures of the same run: sums, the histograms merged, the newest receive time. */
    void add(RunStats other) {
        fastConns += other.fastConns;
        slowConns += other.slowConns;
        closed += other.closed;
        openAtStart += other.openAtStart;
        expected += other.expected;
        delivered += other.delivered;
        lost += other.lost;
        dups += other.dups;
        reordered += other.reordered;
        stale += other.stale;
        latencies.add(other.latencies);
        latenciesFromSend.add(other.latenciesFromSend);
        lastReceiveNanos = Math.max(lastReceiveNanos, other.lastReceiveNanos);
    }

    /** The figures as fields of a JSON line, the histogram's buckets included; {@link #of} reads them back. */
    Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("fast_conns", fastConns);
        f.put("slow_conns", slowConns);
        f.put("closed_by_server", closed);
        f.put("open_at_start", openAtStart);
        f.put("expected", expected);
        f.put("delivered", delivered);
        f.put("lost", lost);
        f.put("dup", dups);
        f.put("reordered", reordered);
        f.put("stale", stale);
        f.put("last_receive_nanos", lastReceiveNanos);
        f.put("latency_buckets", latencies.buckets());
        f.put("latency_from_send_buckets", latenciesFromSend.buckets());
        return f;
    }

    static RunStats of(Map<String, String> f) {
        RunStats s = new RunStats();
        s.fastConns = Integer.parseInt(f.get("fast_conns"));
        s.slowConns = Integer.parseInt(f.get("slow_conns"));
        s.closed = Integer.parseInt(f.get("closed_by_server"));
        s.openAtStart = Integer.parseInt(f.get("open_at_start"));
        s.expected = Long.parseLong(f.get("expected"));
        s.delivered = Long.parseLong(f.get("delivered"));
        s.lost = Long.parseLong(f.get("lost"));
        s.dups = Long.parseLong(f.get("dup"));
        s.reordered = Long.parseLong(f.get("reordered"));
        s.stale = Long.parseLong(f.get("stale"));
        s.lastReceiveNanos = Long.parseLong(f.get("last_receive_nanos"));
        s.latencies.addBuckets(f.get("latency_buckets"));
        if (f.get("latency_from_send_buckets") != null) {
            s.latenciesFromSend.addBuckets(f.get("latency_from_send_buckets"));
        }
        return s;
    }
}
