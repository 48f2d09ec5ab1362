package io.eventstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

/**
 * The soak scenario's time series: every 5 s from the start of publishing, one line of {@code soak.csv} with each
 * node's figures (heap after its latest collection, RSS, open files, threads, streams by its /status; empty while it
 * is down) and the subscribers' (open streams, delivered/s, p99 latency of the events received in those 5 s, and
 * counts since the start: stream-resets, events missing below the newest one held, duplicates, reconnects), the
 * broker's RSS and the machine's load; and the memory checkpoints ({@link SoakCheckpoints}). Ends when bench/run
 * writes {@code stop}.
 */
final class SoakSampler {

    private static final long PERIOD_NANOS = 5_000_000_000L;

    private final SoakPlan plan;
    private final Rendezvous signals;

    SoakSampler(SoakPlan plan) throws IOException {
        this.plan = plan;
        this.signals = new Rendezvous(plan.sync());
    }

    void run() throws Exception {
        Map<String, String> started = signals.await("started", 30 * 60_000);
        if (started == null) {
            return;
        }
        long start = Long.parseLong(started.get("start_nanos"));
        long end = Long.parseLong(started.get("end_nanos"));
        Files.createDirectories(plan.results());
        Path csv = plan.results().resolve("soak.csv");
        Files.writeString(csv, header() + "\n", StandardCharsets.UTF_8);
        SoakCheckpoints checkpoints = new SoakCheckpoints(plan, plan.results().resolve("checkpoints.csv"));
        SoakStats stats = new SoakStats(signals, plan.clients());
        long next = start;
        long delivered0 = 0;
        long previous = start;
        while (signals.await("stop", 0) == null) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000);
                continue;
            }
            next += PERIOD_NANOS;
            if (next < System.nanoTime()) {
                next = System.nanoTime() + PERIOD_NANOS; // behind (a slow node): the next line 5 s from now, not at once
            }
            NodeBoard board = NodeBoard.read(plan.sync());
            long now = System.nanoTime();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%.1f,%.2f", (now - start) / 1e9,
                    ProcessProbe.loadAverage()));
            for (int node = 0; node < plan.nodes().size(); node++) {
                boolean up = board.up(node) || (node < board.states().length && board.states()[node].equals("draining"));
                NodeFigures f = up ? NodeFigures.of(plan.nodes().get(node), board.pids()[node], false) : NodeFigures.NONE;
                line.append(',').append(node < board.generations().length ? board.generations()[node] : 0)
                        .append(',').append(up ? f.csv() : ",,,,");
            }
            LatencyHistogram latencies = stats.take();
            long delivered = stats.sum("delivered");
            long[] open = stats.openPerNode(plan.nodes().size());
            long statsNanos = stats.newestNanos(previous);
            double seconds = (statsNanos - previous) / 1e9; // between the subscribers' files, not between samples
            line.append(String.format(Locale.ROOT, ",%d,%s,%s,%d,%d,%d,%d,%d", java.util.Arrays.stream(open).sum(),
                    seconds > 0 ? String.valueOf(Math.round((delivered - delivered0) / seconds)) : "",
                    latencies.count() > 0 ? String.format(Locale.ROOT, "%.1f", latencies.quantile(0.99) / 1000.0) : "",
                    stats.sum("resets"), stats.sum("gaps"), stats.sum("dups"), stats.sum("reconnects"),
                    board.brokerPid() > 0 ? new ProcessProbe(board.brokerPid()).rssKib() >> 10 : -1));
            Files.writeString(csv, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            delivered0 = delivered;
            previous = statsNanos;
            if (now >= start) {
                checkpoints.check(board, start, end);
            }
        }
    }

    private String header() {
        StringBuilder h = new StringBuilder("t_s,load1");
        for (int node = 0; node < plan.nodes().size(); node++) {
            h.append(",n").append(node).append("_gen,").append(NodeFigures.csvHeader("n" + node + "_"));
        }
        return h.append(",subs_open,delivered_per_s,p99_ms,resets,lost,dups,reconnects,broker_rss_mib").toString();
    }
}
