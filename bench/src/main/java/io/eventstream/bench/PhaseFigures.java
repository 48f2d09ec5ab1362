package io.eventstream.bench;

import static io.eventstream.bench.JsonLine.ms;
import static io.eventstream.bench.JsonLine.round;

import java.util.Locale;
import java.util.Map;

/** The figures of one measured publishing phase, under the same names in every scenario that publishes. */
final class PhaseFigures {

    private PhaseFigures() {
    }

    /**
     * How long after the last publish the subscribers may take to receive everything: what arrives later counts as
     * lost (and as stale in the next phase).
     */
    static double drainSeconds(boolean smoke, double phaseSeconds) {
        return smoke ? 2 : Math.max(5, phaseSeconds / 2);
    }

    /**
     * Puts the figures of a phase that started publishing at {@code startNanos} and ended its drain at
     * {@code endNanos} (System.nanoTime); the CPU times are the servers' and the load clients' over that span.
     */
    static void put(Map<String, Object> r, Publisher.Result p, RunStats s, long startNanos, long endNanos,
                    long serverCpuMicros, long clientCpuMicros) {
        double wall = (endNanos - startNanos) / 1e9;
        double active = s.lastReceiveNanos > startNanos ? (s.lastReceiveNanos - startNanos) / 1e9 : wall;
        r.put("published", p.published);
        r.put("publish_errors", p.errors);
        r.put("first_publish_error", p.firstError);
        r.put("publish_per_s", round(p.published / p.seconds));
        r.put("publish_late_max_ms", round(p.lateMaxMicros / 1000.0));
        r.put("publish_rtt_p50_ms", ms(p.rttP50Micros));
        r.put("publish_rtt_p99_ms", ms(p.rttP99Micros));
        r.put("open_at_start", s.openAtStart);
        r.put("expected", s.expected);
        r.put("delivered", s.delivered);
        r.put("deliveries_per_s", round(s.delivered / active));
        r.put("lost", s.lost);
        r.put("dup", s.dups);
        r.put("reordered", s.reordered);
        r.put("closed_by_server", s.closed);
        r.put("stale", s.stale);
        r.put("p50_ms", ms(s.quantile(0.50)));
        r.put("p99_ms", ms(s.quantile(0.99)));
        r.put("p999_ms", ms(s.quantile(0.999)));
        r.put("max_ms", ms(s.latencies.count() > 0 ? s.latencies.max() : -1));
        // The same from each event's send rather than its due time: lower only where the publisher fell behind its
        // schedule because the server answered its publishes late (publish_late_max_ms).
        r.put("p50_from_send_ms", ms(s.latenciesFromSend.quantile(0.50)));
        r.put("p99_from_send_ms", ms(s.latenciesFromSend.quantile(0.99)));
        r.put("server_cpu_pct", round(serverCpuMicros / (wall * 1e6) * 100));
        r.put("server_cpu_us_per_delivery", s.delivered > 0 ? round(serverCpuMicros / (double) s.delivered) : null);
        r.put("client_cpu_pct", round(clientCpuMicros / (wall * 1e6) * 100));
    }

    /** One log line of a phase's figures. */
    static String summary(Map<String, Object> r) {
        return String.format(Locale.ROOT,
                "%s ch %s/s %s B: %s/%s delivered, lost %s, p50 %s ms p99 %s ms (from the send: %s / %s), server CPU %s%%, client CPU %s%%",
                r.get("channels"), JsonLine.plain(((Number) r.get("rate")).doubleValue()), r.get("payload"), r.get("delivered"), r.get("expected"), r.get("lost"),
                r.get("p50_ms"), r.get("p99_ms"), r.get("p50_from_send_ms"), r.get("p99_from_send_ms"), r.get("server_cpu_pct"), r.get("client_cpu_pct"));
    }
}
