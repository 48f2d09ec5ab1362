package io.eventstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The soak's memory checkpoints, each after a full collection the probe asks for: once per node start
 * (generation) when it has warmed up, {@code warm}: the run's warm-up after the start of publishing, every node up,
 * and the restart warm-up passed since the latest of them came back (the subscribers have moved home by then, so
 * each node holds its own share, as at the end); and {@code end}, 15 s before publishing stops, for every node.
 * Written to {@code checkpoints.csv}.
 */
final class SoakCheckpoints {

    static final String HEADER = "t_s,node,gen,kind," + NodeFigures.csvHeader("");

    private final SoakPlan plan;
    private final Path file;
    private final Set<String> taken = new HashSet<>();

    SoakCheckpoints(SoakPlan plan, Path file) throws IOException {
        this.plan = plan;
        this.file = file;
        Files.writeString(file, HEADER + "\n", StandardCharsets.UTF_8);
    }

    /** Takes the checkpoints due now, given the board, the start and end of publishing (nanoTime). */
    void check(NodeBoard board, long startNanos, long endNanos) throws IOException {
        long now = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        boolean ending = now >= endNanos - 15_000_000_000L;
        // Warm only while the cluster is whole and settled: every node up, the latest of them for the restart warm-up
        // (its subscribers back home), so that a node's two checkpoints see the same share of the subscribers.
        boolean allUp = java.util.stream.IntStream.range(0, board.states().length).allMatch(board::up);
        long lastUp = java.util.Arrays.stream(board.upAtMillis()).max().orElse(nowMillis);
        double sinceStart = (now - startNanos) / 1e9;
        boolean settled = allUp && sinceStart >= plan.warmUpSeconds()
                && (nowMillis - lastUp) / 1000.0 >= plan.restartWarmUpSeconds();
        for (int node = 0; node < board.states().length; node++) {
            if (!board.up(node)) {
                continue;
            }
            int gen = board.generations()[node];
            if (settled && !ending) {
                take(node, gen, "warm", board.pids()[node], sinceStart);
            }
            if (ending) {
                take(node, gen, "end", board.pids()[node], sinceStart);
            }
        }
    }

    private void take(int node, int gen, String kind, int pid, double t) throws IOException {
        if (!taken.add(node + "/" + gen + "/" + kind)) {
            return;
        }
        NodeFigures f = NodeFigures.of(plan.nodes().get(node), pid, true);
        Files.writeString(file, String.format(Locale.ROOT, "%.0f,%d,%d,%s,%s%n", t, node, gen, kind, f.csv()),
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Bench.logAs("eventstream soak sampler", "checkpoint %s of node %d (start %d): %s", kind, node, gen, f);
    }
}
