package io.eventstream.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The soak scenario's publishing process: waits for the subscriber processes, then publishes {@code rate} events a
 * second for the run's length, half of the channels over HTTP (four lanes) and half through EventSender (two lanes),
 * each lane preferring one node; leaves a node bench/run is about to stop (and says so, {@code drained-N-EPOCH});
 * at the end tells the subscriber processes how many events each channel got ({@code published}).
 */
final class SoakPublisher {

    static final long RUN = 1;
    private static final int HTTP_LANES = 4;
    private static final int SENDER_LANES = 2;

    private final SoakPlan plan;
    private final String token;
    private final Rendezvous signals;
    private final AtomicReference<NodeBoard> board = new AtomicReference<>(NodeBoard.NONE);
    private final List<SoakLane> lanes = new java.util.concurrent.CopyOnWriteArrayList<>(); // read by the watcher

    SoakPublisher(SoakPlan plan, String token) throws IOException {
        this.plan = plan;
        this.token = token;
        this.signals = new Rendezvous(plan.sync());
    }

    void run() throws Exception {
        board.set(NodeBoard.read(plan.sync()));
        Thread watcher = new Thread(this::watchBoard, "board-watcher");
        watcher.setDaemon(true);
        watcher.start();
        List<Map<String, String>> ready = signals.awaitAll("ready-", plan.clients(), 20 * 60_000);
        if (ready.size() < plan.clients()) {
            throw new IllegalStateException("only " + ready.size() + " of " + plan.clients() + " subscriber processes are ready");
        }
        long start = System.nanoTime() + 1_000_000_000L;
        long end = start + (long) (plan.seconds() * 1e9);
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("start_nanos", start);
        started.put("end_nanos", end);
        started.put("start_epoch_ms", System.currentTimeMillis() + 1000);
        signals.put("started", started);
        log("publishing %s events/s for %.0f s to %d channels (half HTTP, half EventSender)", JsonLine.plain(plan.rate()),
                plan.seconds(), plan.channels());

        long[] published = new long[plan.channels()];
        long giveUp = end + 600_000_000_000L; // a broker restart near the end must not end the run with a gap
        addLanes(HTTP_LANES, IntStream.range(0, plan.channels()).filter(plan::overHttp).toArray(), published, start, end,
                giveUp, lane -> new SoakTransport.Http(plan.nodes(), token, RUN));
        addLanes(SENDER_LANES, IntStream.range(0, plan.channels()).filter(c -> !plan.overHttp(c)).toArray(), published,
                start, end, giveUp, lane -> new SoakTransport.Sender(plan.nodes(), RUN));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            Thread t = new Thread(lanes.get(i), "lane-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        Map<String, Object> done = new LinkedHashMap<>();
        done.put("per_channel", JsonLine.list(published));
        done.put("published", lanes.stream().mapToLong(l -> l.sent).sum());
        done.put("published_http", IntStream.range(0, plan.channels()).filter(plan::overHttp).mapToLong(c -> published[c]).sum());
        done.put("published_sender", IntStream.range(0, plan.channels()).filter(c -> !plan.overHttp(c)).mapToLong(c -> published[c]).sum());
        done.put("refused", lanes.stream().mapToLong(l -> l.refused).sum());
        done.put("unknown", lanes.stream().mapToLong(l -> l.unknown).sum());
        done.put("uncertain", lanes.stream().flatMap(l -> l.uncertain.stream()).map(e -> e.channel() + ":" + e.seq())
                .collect(Collectors.joining(" ")));
        done.put("abandoned", lanes.stream().filter(l -> l.abandoned).count());
        done.put("late_max_ms", lanes.stream().mapToLong(l -> l.lateMaxMicros).max().orElse(0) / 1000);
        done.put("drain_until_nanos", System.nanoTime() + (plan.smoke() ? 20 : 90) * 1_000_000_000L);
        signals.put("published", done);
        log("published %s events (%s refused and sent again, %s unanswered and sent again; latest %s ms behind)",
                done.get("published"), done.get("refused"), done.get("unknown"), done.get("late_max_ms"));
    }

    /** Splits {@code channels} among {@code count} lanes (channel i to lane i mod count), alternating their node. */
    private void addLanes(int count, int[] channels, long[] published, long start, long end, long giveUp,
                          java.util.function.IntFunction<SoakTransport> transport) {
        int n = Math.min(count, channels.length);
        for (int lane = 0; lane < n; lane++) {
            int first = lane;
            int[] own = IntStream.range(0, channels.length).filter(i -> i % n == first).map(i -> channels[i]).toArray();
            double rate = plan.rate() * own.length / plan.channels();
            lanes.add(new SoakLane(own, rate, lane % plan.nodes().size(), transport.apply(lane), board, start, end,
                    giveUp, published));
        }
    }

    /**
     * Follows the board; when a node stops being up, waits until no lane has a request on its way there, then says
     * so: bench/run stops the node only then, so no publish is cut off by the stop (an HTTP publish has no
     * idempotency key: one cut off could be neither retried safely nor known lost).
     */
    private void watchBoard() {
        long seen = -1;
        while (true) {
            try {
                NodeBoard b = NodeBoard.read(plan.sync());
                board.set(b);
                if (b.epoch() != seen) {
                    seen = b.epoch();
                    for (int node = 0; node < b.states().length; node++) {
                        if (!b.up(node)) {
                            awaitNoneInFlight(node);
                            signals.put("drained-" + node + "-" + b.epoch(), Map.of());
                        }
                    }
                }
                Thread.sleep(100);
            } catch (IOException | RuntimeException e) {
                log("reading the board: %s", e);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void awaitNoneInFlight(int node) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (lanes.stream().anyMatch(l -> l.inFlightNode == node) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private void log(String format, Object... values) {
        Bench.logAs("eventstream soak publisher", format, values);
    }
}
