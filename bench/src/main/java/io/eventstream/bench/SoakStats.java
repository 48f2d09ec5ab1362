package io.eventstream.bench;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * The subscriber processes' figures as the sampler adds them up: each writes {@code stats-I-N} every 5 s (counts
 * since the start, the latencies since its previous file); {@link #take} reads every file not read yet and answers
 * the sums and the latencies of those files merged (percentiles of the merged histogram, never averages).
 */
final class SoakStats {

    private final Rendezvous signals;
    private final int[] next;
    private final Map<String, String>[] latest;

    @SuppressWarnings("unchecked")
    SoakStats(Rendezvous signals, int clients) {
        this.signals = signals;
        this.next = new int[clients];
        this.latest = new Map[clients];
    }

    /** The latencies of the files read by this call; the counts are the newest of every process. */
    LatencyHistogram take() throws IOException, InterruptedException {
        LatencyHistogram latencies = new LatencyHistogram();
        for (int i = 0; i < next.length; i++) {
            Map<String, String> s;
            while ((s = signals.await("stats-" + i + "-" + next[i], 0)) != null) {
                latencies.addBuckets(s.get("latency_buckets"));
                latest[i] = s;
                next[i]++;
            }
        }
        return latencies;
    }

    /** A count summed over the processes (their newest files). */
    long sum(String name) {
        return Arrays.stream(latest).filter(s -> s != null).mapToLong(s -> Long.parseLong(s.get(name))).sum();
    }

    /** When the newest figures were written (System.nanoTime of the latest file), or {@code otherwise}. */
    long newestNanos(long otherwise) {
        return Arrays.stream(latest).filter(s -> s != null).mapToLong(s -> Long.parseLong(s.get("nanos"))).max()
                .orElse(otherwise);
    }

    /** Streams open per node, summed over the processes. */
    long[] openPerNode(int nodes) {
        long[] open = new long[nodes];
        for (Map<String, String> s : latest) {
            if (s != null) {
                long[] o = JsonLine.longs(s.get("open_per_node"));
                Arrays.setAll(open, n -> open[n] + o[n]);
            }
        }
        return open;
    }
}
