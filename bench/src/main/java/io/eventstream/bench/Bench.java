package io.eventstream.bench;

import static io.eventstream.bench.JsonLine.round;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one scenario against one server and appends its figures as JSON lines; {@code Bench report FILE} prints
 * the table of a results file.
 *
 * <pre>
 * java -jar eventstream-bench.jar --target eventstream|wildfly|nchan|pushpin --scenario idle|fanout-1k|fanout-10k|fanout-10k-pattern|channels|batch|sender|slow|connect-storm
 *      --sub-port P --pub-port P [--token T] --server-pid PID [--jvm] --out results.jsonl [--smoke] [--storm COUNT@RATE]
 *      [--settle-rounds N]
 * java -jar eventstream-bench.jar --scenario cluster --role publisher|subscriber --nodes P1,P2,P3 --clients N
 *      --sync DIR --out results.jsonl [--smoke]
 *      publisher: --node-pids PID1,PID2,PID3 --broker-pid PID --token T [--rate R]; subscriber: --index I
 * java -jar eventstream-bench.jar --scenario soak --role publisher|subscriber|sampler|verdict --nodes P1,P2
 *      --sync DIR --results DIR [--minutes M] [--subscribers N] [--channels C] [--clients N] [--rate R]
 *      [--warm-up S] [--restart-warm-up S] [--smoke]; publisher: --token T; subscriber: --index I; verdict: --work DIR
 * </pre>
 */
public final class Bench {

    private final Map<String, String> args;
    private final Target target;
    private final boolean smoke;
    private final InetSocketAddress subAddress;
    private final Publisher publisher;
    private final ProcessProbe server;
    private final boolean jvm;
    private final Path out;
    private final int settleRounds;
    private long nextRun = 1;

    private Bench(Map<String, String> args) {
        this.args = args;
        this.target = Target.of(args.get("target"));
        this.smoke = args.containsKey("smoke");
        int subPort = Integer.parseInt(args.get("sub-port"));
        this.subAddress = new InetSocketAddress("127.0.0.1", subPort);
        this.publisher = new Publisher(target, new InetSocketAddress("127.0.0.1", Integer.parseInt(args.get("pub-port"))),
                args.getOrDefault("token", ""));
        this.server = new ProcessProbe(Integer.parseInt(args.get("server-pid")));
        this.jvm = args.containsKey("jvm");
        this.out = Path.of(args.get("out"));
        this.settleRounds = Integer.parseInt(args.getOrDefault("settle-rounds", "12"));
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length > 0 && argv[0].equals("report")) {
            Report.main(java.util.Arrays.copyOfRange(argv, 1, argv.length));
            return;
        }
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String key = argv[i].replaceFirst("^--", "");
            if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                args.put(key, argv[++i]);
            } else {
                args.put(key, "true");
            }
        }
        SseClient.maxInFlight = Integer.parseInt(args.getOrDefault("in-flight", "256"));
        if ("cluster".equals(args.get("scenario"))) {
            cluster(args);
            System.exit(0);
        }
        if ("soak".equals(args.get("scenario"))) {
            System.exit(soak(args) ? 0 : 1);
        }
        Bench bench = new Bench(args);
        switch (args.get("scenario")) {
            case "idle" -> bench.idle();
            case "fanout-1k" -> bench.fanout(bench.smoke ? 20 : 1000);
            case "fanout-10k" -> bench.fanout(bench.smoke ? 50 : 10_000);
            case "fanout-10k-pattern" -> bench.fanoutPattern(bench.smoke ? 50 : 10_000);
            case "channels" -> bench.channels();
            case "batch" -> bench.batch();
            case "sender" -> bench.sender();
            case "slow" -> bench.slow();
            case "connect-storm" -> bench.connectStorm();
            default -> throw new IllegalArgumentException("unknown scenario " + args.get("scenario"));
        }
        System.exit(0);
    }

    // Scenario 6: three nodes sharing a broker, the subscribers held by several processes, one of which publishes.
    private static void cluster(Map<String, String> args) throws Exception {
        ClusterPlan plan = ClusterPlan.of(args);
        if (args.get("role").equals("publisher")) {
            int[] nodePids = java.util.Arrays.stream(args.get("node-pids").split(",")).mapToInt(Integer::parseInt).toArray();
            new ClusterPublisher(plan, nodePids, Integer.parseInt(args.get("broker-pid")), args.getOrDefault("token", "")).run();
        } else {
            new ClusterSubscriber(plan, Integer.parseInt(args.get("index"))).run();
        }
    }

    // The soak: two nodes, a broker, restarts of both; roles run as separate processes (see bench/run).
    private static boolean soak(Map<String, String> args) throws Exception {
        SoakPlan plan = SoakPlan.of(args);
        switch (args.get("role")) {
            case "publisher" -> new SoakPublisher(plan, args.getOrDefault("token", "")).run();
            case "subscriber" -> new SoakSubscriber(plan, Integer.parseInt(args.get("index"))).run();
            case "sampler" -> new SoakSampler(plan).run();
            case "verdict" -> {
                return new SoakVerdict(plan, Path.of(args.get("work"))).run();
            }
            default -> throw new IllegalArgumentException("unknown soak role " + args.get("role"));
        }
        return true;
    }

    // Scenario 1: idle connections, added in steps on one channel: connect rate, server RSS and heap per connection.
    private void idle() throws Exception {
        int[] steps = args.containsKey("idle-steps")
                ? java.util.Arrays.stream(args.get("idle-steps").split(",")).mapToInt(Integer::parseInt).toArray()
                : smoke ? new int[] {20, 50} : new int[] {1000, 10_000, 19_500};
        settle();
        // For the JVM, heap first: its full GC also settles the resident set before it is read.
        long heap0 = jvm ? server.jvmHeapAfterGcKib() : -1;
        long rss0 = server.rssKib();
        log("idle: server RSS %d KiB%s before any connection", rss0, jvm ? ", heap after GC " + heap0 + " KiB" : "");
        try (SseClient client = new SseClient(target, List.of(subAddress), sources())) {
            int held = 0;
            for (int step : steps) {
                int want = step - held;
                long t0 = System.nanoTime();
                int got = client.connect(want, i -> 0, i -> 0, i -> false, smoke ? 20_000 : 120_000);
                double secs = (System.nanoTime() - t0) / 1e9;
                held = client.connectedCount();
                // Let the server settle, and measure its CPU while the connections sit idle.
                long cpu0 = server.cpuMicros();
                long w0 = System.nanoTime();
                Thread.sleep(smoke ? 1000 : 5000);
                double idleCpu = (server.cpuMicros() - cpu0) / ((System.nanoTime() - w0) / 1e3) * 100;
                long heap = jvm ? server.jvmHeapAfterGcKib() : -1;
                long rss = server.rssKib();
                Map<String, Object> r = line("idle");
                r.put("label", "idle " + step);
                r.put("target_conns", step);
                r.put("held", held);
                r.put("failed", client.failedCount());
                r.put("first_failure", client.firstFailure());
                r.put("connect_per_s", round(got / secs));
                r.put("connects_in_flight", SseClient.maxInFlight);
                r.put("server_rss_kib", rss);
                r.put("rss_per_conn_kib", held > 0 ? round((rss - rss0) / (double) held) : null);
                r.put("heap_per_conn_kib", jvm && held > 0 && heap >= 0 && heap0 >= 0 ? round((heap - heap0) / (double) held) : null);
                r.put("idle_server_cpu_pct", round(idleCpu));
                emit(r);
                if (got < want) {
                    log("idle: stopped at %d connections (%s)", held, client.firstFailure());
                    break;
                }
            }
        }
    }

    // Scenario 2: one channel, N subscribers, each rate x payload: deliveries/s, latency, CPU per delivery.
    private void fanout(int subscribers) throws Exception {
        fanout(subscribers, "");
    }

    // Scenario 2b (eventstream only): the fan-out with each subscriber on the pattern bench-0* instead of the channel
    // bench-0 (issue 16: a pattern subscriber must cost about what a named one does).
    private void fanoutPattern(int subscribers) throws Exception {
        if (!target.publishesBatches()) {
            log("skipped: %s has no pattern subscriptions", target.label());
            return;
        }
        fanout(subscribers, "*");
    }

    private void fanout(int subscribers, String suffix) throws Exception {
        double[] rates = {10, 100};
        int[] payloads = {64, 1024};
        double seconds = smoke ? 1.5 : 15;
        try (SseClient client = new SseClient(target, List.of(subAddress), sources())) {
            client.subscribeSuffix = suffix;
            int got = connect(client, subscribers, i -> 0, i -> false);
            if (got == 0) {
                return;
            }
            warmUp(client, 1);
            for (double rate : rates) {
                for (int payload : payloads) {
                    Map<String, Object> r = rate == rates[0] && payload == payloads[0]
                            ? settled(client, "fanout", 1, rate, payload, seconds, 1)
                            : measure(client, "fanout", 1, rate, payload, seconds);
                    r.put("label", String.format("fan-out %d %ssubs %.0f/s %d B", subscribers,
                            suffix.isEmpty() ? "" : "pattern ", rate, payload));
                    r.put("subscribers", subscribers);
                    emit(r);
                }
            }
        }
    }

    // Scenario 3: many channels with one subscriber each, events spread over them.
    private void channels() throws Exception {
        int channels = smoke ? 50 : 10_000;
        double rate = smoke ? 100 : 1000;
        try (SseClient client = new SseClient(target, List.of(subAddress), sources())) {
            int got = connect(client, channels, i -> i, i -> false);
            if (got == 0) {
                return;
            }
            warmUp(client, channels);
            Map<String, Object> r = settled(client, "channels", channels, rate, 64, smoke ? 2 : 20, 1);
            r.put("label", String.format("%d channels x 1 sub, %.0f/s 64 B", channels, rate));
            r.put("subscribers", channels);
            emit(r);
        }
    }

    // Scenario 3b: the channels scenario's shape, published in batches of 100 events per request at rising rates
    // (servers with a batch endpoint only).
    private void batch() throws Exception {
        if (!target.publishesBatches()) {
            log("skipped: %s has no batch publishing", target.label());
            return;
        }
        int channels = smoke ? 50 : 1000;
        int batch = smoke ? 10 : 100;
        double[] rates = smoke ? new double[] {500} : new double[] {10_000, 30_000, 60_000, 100_000};
        try (SseClient client = new SseClient(target, List.of(subAddress), sources())) {
            int got = connect(client, channels, i -> i, i -> false);
            if (got == 0) {
                return;
            }
            warmUp(client, channels);
            boolean first = true;
            for (double rate : rates) {
                // The first phase only after the JIT has settled, as channels' and the fan-outs' first phases.
                Map<String, Object> r = first ? settled(client, "batch", channels, rate, 64, smoke ? 2 : 10, batch)
                        : measure(client, "batch", channels, rate, 64, smoke ? 2 : 10, batch);
                first = false;
                r.put("label", String.format("%d channels x 1 sub, batches of %d, %.0f/s 64 B", channels, batch, rate));
                r.put("subscribers", channels);
                r.put("batch", batch);
                emit(r);
            }
        }
    }

    // Scenario 3c: application code in the hub's WAR (bench/probe) publishing with EventSender.sendAsync from one
    // thread as fast as it is taken, over the channels scenario's shape (eventstream only).
    private void sender() throws Exception {
        if (!target.publishesBatches()) {
            log("skipped: %s has no EventSender", target.label());
            return;
        }
        int channels = smoke ? 50 : 1000;
        int count = smoke ? 2000 : 200_000;
        try (SseClient client = new SseClient(target, List.of(subAddress), sources())) {
            int got = connect(client, channels, i -> i, i -> false);
            if (got == 0) {
                return;
            }
            warmUp(client, channels);
            // At least one round before the measured one, even with BENCH_SETTLE_ROUNDS=0: the first warms the send path up.
            emit(settle(measured -> sendAsyncRound(client, channels, count, measured ? "measured" : "settling"),
                    "server_cpu_us_per_event", smoke ? 1 : Math.max(1, settleRounds)));
        }
    }

    // One call of the probe: count events from one thread with sendAsync, then every confirmation and delivery.
    private Map<String, Object> sendAsyncRound(SseClient client, int channels, int count, String round) throws Exception {
        Phase phase = startPhase(client);
        long run = phase.run();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + subAddress.getPort() + "/eventstream/bench/send-async?channels=" + channels
                        + "&count=" + count + "&run=" + run + "&payload=64"))
                .timeout(Duration.ofMinutes(6)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        Publisher.Result p = new Publisher.Result();
        p.publishedPerChannel = new long[channels];
        if (answer.statusCode() == 200) {
            for (int k = 0; k < count; k++) {
                p.publishedPerChannel[k % channels]++;
            }
            p.published = count;
            p.seconds = Double.parseDouble(JsonLine.parse(answer.body()).get("seconds"));
        } else {
            p.errors = count;
            p.firstError = answer.statusCode() + " " + answer.body();
            p.seconds = (System.nanoTime() - phase.nanos()) / 1e9;
        }
        RunStats s = client.awaitDelivered(p.publishedPerChannel,
                System.nanoTime() + (long) (PhaseFigures.drainSeconds(smoke, 10) * 1e9));
        Map<String, Object> r = line("sender");
        r.put("channels", channels);
        r.put("rate", round(p.published / p.seconds));
        r.put("payload", 64);
        long serverCpu = endPhase(phase, r, p, s);
        r.put("server_cpu_us_per_event", p.published > 0 ? round(serverCpu / (double) p.published) : null);
        r.put("label", String.format("EventSender.sendAsync, 1 thread, %d events over %d channels", count, channels));
        r.put("subscribers", channels);
        log("sender (%s) %s", round, PhaseFigures.summary(r));
        return r;
    }

    // Scenario 4: slow subscribers (never read, 4 KiB receive buffer) among fast ones on one channel.
    private void slow() throws Exception {
        int fast = smoke ? 20 : 1000;
        int slow = smoke ? 1 : 10;
        try (SseClient client = new SseClient(target, List.of(subAddress), sources())) {
            int got = connect(client, fast + slow, i -> 0, i -> i >= fast);
            if (got == 0) {
                return;
            }
            warmUp(client, 1);
            Map<String, Object> r = measure(client, "slow", 1, 100, 1024, smoke ? 2 : 20);
            long[] s = client.drainSlow(smoke ? 200 : 500);
            r.put("label", String.format("slow: %d fast + %d stalled, 100/s 1 KiB", fast, slow));
            r.put("subscribers", fast);
            r.put("slow_subscribers", slow);
            r.put("slow_open_at_end", s[0]);
            r.put("slow_closed_by_server", s[1]);
            r.put("slow_backlog_bytes_read", s[2]);
            emit(r);
        }
    }

    // Scenario 5: a connect storm, as a node restart causes: COUNT subscribers (one channel each, round robin over
    // 100) connecting open loop at RATE/s, whatever is still unanswered; every connect must get a status line. Twice on
    // the same server: "cold", its first connects (a restarted node; a JVM's JIT compiles the connect path meanwhile),
    // then, once every client has closed and the server is quiet again, "warm" (clients that lost their connections
    // to a node that has served before: a network blip, a proxy's restart).
    private void connectStorm() throws Exception {
        String[] spec = args.getOrDefault("storm", smoke ? "200@500" : "19500@5000").split("@");
        int count = Integer.parseInt(spec[0]);
        double rate = Double.parseDouble(spec[1]);
        connectStorm(count, rate, "cold", -1);
        // The hub counts a stream until it finds its client gone: neither Payara Micro nor WildFly reports a client's
        // close of an open response, the next keep-alive write finds it (eventstream.keepalive, 15 s; measured 28-32 s
        // for 19,000). Until then the old streams count against eventstream.connections.max, and the storm would
        // measure refusals rather than connects.
        double released = target.isHub() ? awaitNoStreams(smoke ? 60 : 120) : -1;
        connectStorm(count, rate, "warm", released);
    }

    // Seconds until the hub's /status counted no connection (-1: still some at the bound).
    private double awaitNoStreams(int boundSeconds) throws Exception {
        long t0 = System.nanoTime();
        HttpClient http = HttpClient.newHttpClient();
        java.util.regex.Pattern count = java.util.regex.Pattern.compile("\"connections\"\\s*:\\s*(\\d+)");
        while (System.nanoTime() - t0 < boundSeconds * 1_000_000_000L) {
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + subAddress.getPort() + "/eventstream/status")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            java.util.regex.Matcher m = count.matcher(status.body());
            if (status.statusCode() == 200 && m.find() && m.group(1).equals("0")) {
                double secs = (System.nanoTime() - t0) / 1e9;
                log("storm: the hub counted no stream %.1f s after the clients closed", secs);
                return round(secs);
            }
            Thread.sleep(500);
        }
        log("storm: the hub still counted streams %d s after the clients closed", boundSeconds);
        return -1;
    }

    private void connectStorm(int count, double rate, String round, double releasedSeconds) throws Exception {
        settle();
        long rss0 = server.rssKib();
        double load0 = ProcessProbe.loadAverage();
        Map<String, Long> tcp0 = ProcessProbe.tcpCounters();
        try (SseClient client = new SseClient(target, List.of(subAddress), sources())) {
            if (round.equals("cold")) {
                profile();
            }
            long cpu0 = server.cpuMicros();
            long jitCpu0 = server.jitCpuMicros();
            StormFigures f = client.storm(count, rate, i -> i % 100, smoke ? 20_000 : 60_000);
            long end = f.lastAnswerNanos > 0 ? f.lastAnswerNanos : System.nanoTime();
            double secs = (end - f.startNanos) / 1e9;
            long cpu = server.cpuMicros() - cpu0;
            long jitCpu = server.jitCpuMicros() - jitCpu0;
            Map<String, Object> r = line("connect-storm");
            r.put("label", String.format("connect storm %d at %.0f/s, %s", count, rate, round));
            r.put("offered", count);
            r.put("rate", rate);
            r.put("opened", f.opened);
            r.put("accepted", f.accepted);
            r.put("refused_retry_after", f.refusedWithRetryAfter);
            r.put("refused_other", f.refusedOther);
            r.put("statuses", f.statuses.toString());
            r.put("no_answer", f.noAnswer());
            r.put("connect_failed", f.connectFailed);
            r.put("closed_unanswered", f.closedUnanswered);
            r.put("still_waiting", f.noAnswer() - f.connectFailed - f.closedUnanswered);
            r.put("first_unanswered", f.firstUnanswered);
            r.put("unanswered_why", f.unansweredWhy.isEmpty() ? null : f.unansweredWhy.toString());
            r.put("answered_per_s", round((f.accepted + f.refusedWithRetryAfter + f.refusedOther) / secs));
            r.put("connect_per_s", round(f.accepted / secs));
            r.put("answer_p50_ms", JsonLine.ms(f.answerMicros.quantile(0.50)));
            r.put("answer_p99_ms", JsonLine.ms(f.answerMicros.quantile(0.99)));
            r.put("answer_max_ms", JsonLine.ms(f.answerMicros.count() > 0 ? f.answerMicros.max() : -1));
            r.put("server_cpu_pct", round(cpu / (secs * 1e6) * 100));
            r.put("server_jit_cpu_pct", cpu > 0 ? round(Math.max(0, jitCpu) * 100.0 / cpu) : null);
            r.put("streams_released_s", releasedSeconds >= 0 ? releasedSeconds : null);
            int answered = f.accepted + f.refusedWithRetryAfter + f.refusedOther;
            r.put("server_cpu_us_per_answer", answered > 0 ? round(cpu / (double) answered) : null);
            r.put("server_rss_kib", server.rssKib());
            r.put("server_rss0_kib", rss0);
            r.put("load_before", load0);
            r.put("load_after", ProcessProbe.loadAverage());
            // The kernel's own view, machine-wide (other traffic counts too): accept queues that overflowed, SYNs
            // answered with cookies, connections it reset.
            Map<String, Long> tcp = ProcessProbe.tcpCounters();
            tcp.forEach((name, value) -> r.put("tcp_" + name, value - tcp0.getOrDefault(name, 0L)));
            emit(r);
            log("storm %d at %.0f/s, %s: %d accepted, %d refused with Retry-After, %d other statuses %s, %d without an answer"
                    + " (%d connect failed, %d closed unanswered), %.0f accepted/s, answer p99 %s ms",
                    count, rate, round, f.accepted, f.refusedWithRetryAfter, f.refusedOther, f.statuses, f.noAnswer(),
                    f.connectFailed, f.closedUnanswered, f.accepted / secs, r.get("answer_p99_ms"));
        }
    }

    private void settle() throws InterruptedException {
        if (!server.awaitQuiet(smoke ? 5 : 60)) {
            log("server still busy after the settle bound");
        }
    }

    private int connect(SseClient client, int count, java.util.function.IntUnaryOperator channelOf,
                        java.util.function.IntPredicate slow) throws IOException, InterruptedException {
        settle();
        long t0 = System.nanoTime();
        int got = client.connect(count, i -> 0, channelOf, slow, smoke ? 20_000 : 180_000);
        log("connected %d of %d in %.1f s (%d failed%s)", got, count, (System.nanoTime() - t0) / 1e9,
                client.failedCount(), got < count ? ": " + client.firstFailure() : "");
        if (got < count) {
            Map<String, Object> r = line("connect-shortfall");
            r.put("label", "connect " + count);
            r.put("wanted", count);
            r.put("held", got);
            r.put("first_failure", client.firstFailure());
            emit(r);
        }
        return got;
    }

    private void warmUp(SseClient client, int channels) throws Exception {
        measure(client, "warm-up", channels, Math.min(100, channels * 10.0), 64, smoke ? 0.5 : 10);
        profile();
    }

    // BENCH_PROFILE=1: a JFR recording of the hub from now until the client exits, and a class histogram now.
    private void profile() throws IOException, InterruptedException {
        if (jvm && args.containsKey("jfr")) {
            // Profile the measured phases only (BENCH_PROFILE=1 in bench/run): JFR's own cost is small but not nil.
            String file = args.get("jfr") + "/" + target.label() + "-" + args.get("scenario") + ".jfr";
            // What the connections hold: the heap's classes by size, with every subscriber connected.
            new ProcessBuilder("jcmd", String.valueOf(server.root()), "GC.class_histogram").redirectErrorStream(true)
                    .redirectOutput(Path.of(args.get("jfr"), target.label() + "-" + args.get("scenario") + ".histo.txt").toFile())
                    .start().waitFor();
            new ProcessBuilder("jcmd", String.valueOf(server.root()), "JFR.start", "name=bench", "settings=profile",
                    "filename=" + file).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    new ProcessBuilder("jcmd", String.valueOf(server.root()), "JFR.stop", "name=bench")
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                } catch (IOException | InterruptedException e) {
                    // no profile then
                }
            }));
            log("profiling into %s", file);
        }
    }

    /** Where a measured phase started: its run, the server's CPU and its JIT's, the client's own CPU, the time. */
    private record Phase(long run, long serverCpu, long jitCpu, long selfCpu, long nanos) {
    }

    private Phase startPhase(SseClient client) {
        long run = nextRun++;
        client.startRun(run);
        return new Phase(run, server.cpuMicros(), server.jitCpuMicros(), ProcessProbe.selfCpuMicros(), System.nanoTime());
    }

    // Puts the phase's figures, with the JIT's share of the server's CPU; returns the server's CPU in microseconds.
    private long endPhase(Phase phase, Map<String, Object> r, Publisher.Result p, RunStats s) {
        long t1 = System.nanoTime();
        long serverCpu = server.cpuMicros() - phase.serverCpu();
        PhaseFigures.put(r, p, s, phase.nanos(), t1, serverCpu, ProcessProbe.selfCpuMicros() - phase.selfCpu());
        r.put("server_jit_cpu_pct", serverCpu > 0 ? round(Math.max(0, server.jitCpuMicros() - phase.jitCpu()) * 100.0 / serverCpu) : null);
        return serverCpu;
    }

    private Map<String, Object> measure(SseClient client, String scenario, int channels, double rate, int payload,
                                        double seconds) throws Exception {
        return measure(client, scenario, channels, rate, payload, seconds, 1);
    }

    private Map<String, Object> measure(SseClient client, String scenario, int channels, double rate, int payload,
                                        double seconds, int batch) throws Exception {
        Phase phase = startPhase(client);
        Publisher.Result p = publisher.run(phase.run(), channels, Bench::channel, rate, payload, seconds, batch == 1 ? 8 : 10, batch);
        RunStats s = client.awaitDelivered(p.publishedPerChannel,
                System.nanoTime() + (long) (PhaseFigures.drainSeconds(smoke, seconds) * 1e9));
        Map<String, Object> r = line(scenario);
        r.put("channels", channels);
        r.put("rate", rate);
        r.put("payload", payload);
        r.put("seconds", seconds);
        endPhase(phase, r, p, s);
        if (!scenario.equals("warm-up")) {
            log("%s %s", scenario, PhaseFigures.summary(r));
        }
        return r;
    }

    /**
     * Publishes in the measured phase's shape, in rounds of {@code seconds}, until the JIT took at most 10 % of the
     * server's CPU in a round and its CPU per delivery is within 10 % of the round before (at most
     * BENCH_SETTLE_ROUNDS rounds, default 12; 0: none), then measures. A JVM compiles the hot paths of a new load
     * for minutes: with the server on one core, the JIT took 20-45 % of it for the first three to four minutes at
     * 1,000 publishes/s, and the figures of a server that has run for a while are the ones to compare with a server
     * that does not compile. A round's CPU alone is no sign: it stayed within 2 % for two rounds while the JIT still
     * took 28 % of the core, and fell by 40 % after. The measured line says how many rounds it took
     * ({@code settle_rounds}) and what share of the server's CPU the JIT still took ({@code server_jit_cpu_pct}).
     */
    private Map<String, Object> settled(SseClient client, String scenario, int channels, double rate, int payload,
                                        double seconds, int batch) throws Exception {
        return settle(measured -> measure(client, measured ? scenario : "settling", channels, rate, payload, seconds, batch),
                "server_cpu_us_per_delivery", smoke ? Math.min(1, settleRounds) : settleRounds);
    }

    /** One round of a scenario's publishing: {@code measured} false while it settles. */
    @FunctionalInterface
    private interface Round {
        Map<String, Object> run(boolean measured) throws Exception;
    }

    // Settling rounds (at most max) until the JIT is done and cpuKey's figure steady, then the measured round, which
    // says how many rounds came before it.
    private Map<String, Object> settle(Round round, String cpuKey, int max) throws Exception {
        Double last = null;
        int rounds = 0;
        while (rounds < max) {
            Map<String, Object> r = round.run(false);
            rounds++;
            double now = r.get(cpuKey) instanceof Number n ? n.doubleValue() : Double.NaN;
            Object jit = r.get("server_jit_cpu_pct");
            log("settling round %d: server CPU %s µs per %s, of it JIT %s %%", rounds, r.get(cpuKey),
                    cpuKey.endsWith("event") ? "event" : "delivery", jit);
            boolean compiled = !(jit instanceof Number j) || j.doubleValue() <= 10;
            if (compiled && last != null && Math.abs(now - last) <= 0.1 * last) {
                break;
            }
            last = now;
        }
        Map<String, Object> r = round.run(true);
        r.put("settle_rounds", rounds);
        return r;
    }

    private int sources() {
        return Integer.parseInt(args.getOrDefault("sources", "8"));
    }

    static String channel(int i) {
        return "bench-" + i;
    }

    private Map<String, Object> line(String scenario) {
        return JsonLine.begin(smoke, target, scenario);
    }

    private void emit(Map<String, Object> r) throws IOException {
        JsonLine.append(out, r);
    }

    private void log(String format, Object... values) {
        logAs(target.label() + " " + args.get("scenario"), format, values);
    }

    static void logAs(String who, String format, Object... values) {
        System.out.printf("[%s] %s%n", who, String.format(format, values));
        System.out.flush();
    }
}
