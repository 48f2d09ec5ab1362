package io.eventstream.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One of the cluster scenario's load-client processes: holds its share of the subscribers, spread over every node,
 * and tells the publisher process what they received of each run.
 */
final class ClusterSubscriber {

    /** How long to wait for the publisher process's next signal before giving up. */
    private static final long SIGNAL_MILLIS = 20 * 60_000;

    private final ClusterPlan plan;
    private final int index;
    private final Rendezvous signals;

    ClusterSubscriber(ClusterPlan plan, int index) throws java.io.IOException {
        this.plan = plan;
        this.index = index;
        this.signals = new Rendezvous(plan.sync());
    }

    void run() throws Exception {
        Map<String, String> go = signals.await("connect", SIGNAL_MILLIS);
        if (go == null) {
            log("no signal to connect; giving up");
            return;
        }
        int runs = Integer.parseInt(go.get("runs"));
        int first = plan.firstSubscriber(index);
        int count = plan.share(index);
        try (SseClient client = new SseClient(Target.EVENTSTREAM, plan.nodes(), plan.sources())) {
            int got = client.connect(count, i -> plan.nodeOf(first + i), i -> 0, i -> false, plan.connectMillis());
            Map<String, Object> ready = new LinkedHashMap<>();
            ready.put("index", index);
            ready.put("wanted", count);
            ready.put("held", got);
            ready.put("held_per_node", JsonLine.list(Arrays.stream(client.connectedPerServer()).asLongStream().toArray()));
            ready.put("failed", client.failedCount());
            ready.put("first_failure", client.firstFailure());
            ready.put("connected_at_nanos", System.nanoTime());
            log("connected %d of %d", got, count);
            client.startRun(1);
            long cpu0 = ProcessProbe.selfCpuMicros();
            signals.put("ready-" + index, ready);
            for (int run = 1; run <= runs; run++) {
                Map<String, String> published = signals.await("published-" + run, SIGNAL_MILLIS);
                if (published == null) {
                    log("run %d was never published; giving up", run);
                    return;
                }
                RunStats s = client.awaitDelivered(JsonLine.longs(published.get("per_channel")),
                        Long.parseLong(published.get("drain_until_nanos")));
                Map<String, Object> result = new LinkedHashMap<>(ready);
                result.putAll(s.fields());
                long cpu = ProcessProbe.selfCpuMicros();
                result.put("client_cpu_us", cpu - cpu0);
                cpu0 = cpu;
                // Listen for the next run before reporting this one: the publisher starts it once every process has.
                client.startRun(run + 1);
                signals.put("result-" + run + "-" + index, result);
            }
            signals.await("release", SIGNAL_MILLIS);
        }
    }

    private void log(String format, Object... values) {
        Bench.logAs("eventstream cluster subscriber " + index, format, values);
    }
}
