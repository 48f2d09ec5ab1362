package io.eventstream.bench;

import static io.eventstream.bench.JsonLine.round;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The cluster scenario's one publishing process: waits for the nodes to settle, tells the subscriber processes to
 * connect, measures the nodes' memory, publishes a warm-up run and a measured run through the first node (so the
 * events reach the others through the broker), and adds up what every subscriber process saw into one figure set.
 */
final class ClusterPublisher {

    private static final int WARM_UP = 1;
    private static final int MEASURED = 2;

    private final ClusterPlan plan;
    private final Rendezvous signals;
    private final List<ProcessProbe> nodes = new ArrayList<>();
    private final ProcessProbe allNodes;
    private final ProcessProbe broker;
    private final Publisher publisher;

    ClusterPublisher(ClusterPlan plan, int[] nodePids, int brokerPid, String token) throws IOException {
        this.plan = plan;
        this.signals = new Rendezvous(plan.sync());
        for (int pid : nodePids) {
            nodes.add(new ProcessProbe(pid));
        }
        this.allNodes = new ProcessProbe(nodePids);
        this.broker = new ProcessProbe(brokerPid);
        this.publisher = new Publisher(Target.EVENTSTREAM, plan.nodes().get(0), token);
    }

    void run() throws Exception {
        if (!allNodes.awaitQuiet(plan.smoke() ? 5 : 60)) {
            log("nodes still busy after the settle bound");
        }
        // Heap first: its full GC also settles the resident set before it is read.
        long[] heap0 = perNode(ProcessProbe::jvmHeapAfterGcKib);
        long[] rss0 = perNode(ProcessProbe::rssKib);
        Map<String, Object> r = JsonLine.begin(plan.smoke(), Target.EVENTSTREAM, "cluster");
        r.put("label", plan.label());
        r.put("nodes", plan.nodes().size());
        r.put("clients", plan.clients());
        long held = connect(r);
        long[] heap = perNode(ProcessProbe::jvmHeapAfterGcKib);
        long[] rss = perNode(ProcessProbe::rssKib);
        r.put("node_rss_mib", joined(rss.length, n -> String.valueOf(rss[n] / 1024)));
        r.put("rss_per_conn_kib", held > 0 ? round((sum(rss) - sum(rss0)) / (double) held) : null);
        boolean heapRead = Arrays.stream(heap).allMatch(h -> h >= 0) && Arrays.stream(heap0).allMatch(h -> h >= 0);
        r.put("heap_per_conn_kib", held > 0 && heapRead ? round((sum(heap) - sum(heap0)) / (double) held) : null);
        r.put("idle_nodes_cpu_pct", round(idleCpuPercent()));

        Map<String, Object> warmUp = new LinkedHashMap<>();
        phase(WARM_UP, plan.warmUpSeconds(), warmUp);
        log("warm-up: %s", PhaseFigures.summary(warmUp));
        List<Map<String, String>> results = phase(MEASURED, plan.seconds(), r);
        signals.put("release", Map.of());
        for (Map<String, String> client : results) {
            Map<String, Object> line = JsonLine.begin(plan.smoke(), Target.EVENTSTREAM, "cluster-client");
            line.putAll(client);
            JsonLine.append(plan.out(), line);
        }
        JsonLine.append(plan.out(), r);
        log("measured: %s", PhaseFigures.summary(r));
    }

    /** Tells the subscriber processes to connect, waits until they have, puts the connect figures; returns how many. */
    private long connect(Map<String, Object> r) throws IOException, InterruptedException {
        long connectAt = System.nanoTime();
        signals.put("connect", Map.of("runs", MEASURED));
        List<Map<String, String>> ready = signals.awaitAll("ready-", plan.clients(), plan.connectMillis() + 60_000);
        long connectedAt = ready.stream().mapToLong(x -> Long.parseLong(x.get("connected_at_nanos"))).max()
                .orElse(connectAt);
        double seconds = (connectedAt - connectAt) / 1e9;
        long[] perNode = new long[plan.nodes().size()];
        for (Map<String, String> x : ready) {
            long[] held = JsonLine.longs(x.get("held_per_node"));
            Arrays.setAll(perNode, n -> perNode[n] + held[n]);
        }
        long held = sum(perNode);
        r.put("clients_ready", ready.size());
        r.put("wanted", plan.subscribers());
        r.put("held", held);
        r.put("held_per_node", joined(perNode.length, n -> String.valueOf(perNode[n])));
        r.put("node_count_per_node", joined(perNode.length, n -> NodeStatus.connections(plan.nodes().get(n), Duration.ofSeconds(30))));
        r.put("failed", ready.stream().mapToLong(x -> Long.parseLong(x.get("failed"))).sum());
        r.put("first_failure", ready.stream().map(x -> x.get("first_failure")).filter(f -> !f.isEmpty()).findFirst()
                .orElse(""));
        r.put("connect_s", round(seconds));
        r.put("connect_per_s", round(held / seconds));
        log("%d of %d subscribers connected in %.1f s (%s per node)", held, plan.subscribers(), seconds,
                r.get("held_per_node"));
        return held;
    }

    /**
     * Publishes run {@code run} for {@code seconds}, tells the subscriber processes how many events it sent, waits
     * for all their figures (or their drain bound and a minute more) and puts the sums into {@code r}; returns the
     * figures of each subscriber process.
     */
    private List<Map<String, String>> phase(int run, double seconds, Map<String, Object> r) throws Exception {
        long nodesCpu0 = allNodes.cpuMicros();
        long brokerCpu0 = broker.cpuMicros();
        long selfCpu0 = ProcessProbe.selfCpuMicros();
        long t0 = System.nanoTime();
        Publisher.Result p = publisher.run(run, 1, Bench::channel, plan.rate(), plan.payload(), seconds, 8);
        Map<String, Object> published = new LinkedHashMap<>();
        published.put("per_channel", JsonLine.list(p.publishedPerChannel));
        published.put("drain_until_nanos", System.nanoTime() + plan.drainNanos());
        signals.put("published-" + run, published);
        List<Map<String, String>> results = signals.awaitAll("result-" + run + "-", plan.clients(),
                plan.drainNanos() / 1_000_000 + 60_000);
        long t1 = System.nanoTime();
        RunStats all = new RunStats();
        long clientCpu = ProcessProbe.selfCpuMicros() - selfCpu0;
        for (Map<String, String> client : results) {
            all.add(RunStats.of(client));
            clientCpu += Long.parseLong(client.get("client_cpu_us"));
        }
        r.put("channels", 1);
        r.put("rate", plan.rate());
        r.put("payload", plan.payload());
        r.put("seconds", seconds);
        r.put("clients_reporting", results.size());
        PhaseFigures.put(r, p, all, t0, t1, allNodes.cpuMicros() - nodesCpu0, clientCpu);
        r.put("broker_cpu_pct", round((broker.cpuMicros() - brokerCpu0) / ((t1 - t0) / 1e3) * 100));
        r.put("broker_rss_mib", broker.rssKib() / 1024);
        return results;
    }

    private double idleCpuPercent() throws InterruptedException {
        long cpu0 = allNodes.cpuMicros();
        long t0 = System.nanoTime();
        Thread.sleep(plan.smoke() ? 1000 : 5000);
        return (allNodes.cpuMicros() - cpu0) / ((System.nanoTime() - t0) / 1e3) * 100;
    }

    private long[] perNode(ToLongFunction<ProcessProbe> figure) {
        return nodes.stream().mapToLong(figure).toArray();
    }

    private static long sum(long[] values) {
        return Arrays.stream(values).sum();
    }

    private static String joined(int count, IntFunction<String> item) {
        return IntStream.range(0, count).mapToObj(item).collect(Collectors.joining(" / "));
    }

    private void log(String format, Object... values) {
        Bench.logAs("eventstream cluster publisher", format, values);
    }
}
