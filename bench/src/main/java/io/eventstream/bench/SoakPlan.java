package io.eventstream.bench;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The soak scenario's sizes, times and places, read from the command line alike by each of its processes
 * (publisher, subscribers, sampler, verdict): the nodes, the subscribers and channels, the rate, how long it runs,
 * when memory counts as warmed up, the directory the processes signal through and the results directory.
 *
 * <p>Channels {@code bench-0} to {@code bench-(channels/2 - 1)} are published over HTTP, the rest through
 * {@code EventSender} (the probe in the WAR), so every channel has one publishing path and one order. Subscriber
 * {@code n} reads channel {@code n mod channels} and lives on node {@code (n / channels) mod nodes}, so every
 * channel has readers on every node.
 */
record SoakPlan(boolean smoke, List<InetSocketAddress> nodes, int subscribers, int channels, int clients, double rate,
                double seconds, double warmUpSeconds, double restartWarmUpSeconds, int sources, Path sync, Path results) {

    static final int MIN_PAYLOAD = 64;
    static final int MAX_PAYLOAD = 16 * 1024;

    static SoakPlan of(Map<String, String> args) {
        boolean smoke = args.containsKey("smoke");
        List<InetSocketAddress> nodes = Arrays.stream(args.get("nodes").split(","))
                .map(port -> new InetSocketAddress("127.0.0.1", Integer.parseInt(port))).toList();
        double minutes = Double.parseDouble(args.getOrDefault("minutes", "30"));
        return new SoakPlan(smoke, nodes,
                Integer.parseInt(args.getOrDefault("subscribers", smoke ? "100" : "5000")),
                Integer.parseInt(args.getOrDefault("channels", smoke ? "10" : "200")),
                Integer.parseInt(args.getOrDefault("clients", "1")),
                Double.parseDouble(args.getOrDefault("rate", smoke ? "20" : "200")),
                minutes * 60,
                // The smoke form runs 3 minutes with a restart a minute: with the full run's warm-ups no node ever
                // reached a warm checkpoint, and its memory check failed whatever the hub did.
                Double.parseDouble(args.getOrDefault("warm-up", smoke ? "30" : "180")),
                Double.parseDouble(args.getOrDefault("restart-warm-up", smoke ? "20" : "60")),
                Integer.parseInt(args.getOrDefault("sources", "8")),
                Path.of(args.get("sync")), Path.of(args.get("results")));
    }

    /** Whether channel {@code c} is published over HTTP (else through EventSender). */
    boolean overHttp(int channel) {
        return channel < channels / 2;
    }

    int channelOf(int subscriber) {
        return subscriber % channels;
    }

    int homeNodeOf(int subscriber) {
        return (subscriber / channels) % nodes.size();
    }

    /**
     * The data size of event {@code seq} of channel {@code channel}, from 64 B to 16 KiB, log-uniform (as many events
     * from 64 to 128 B as from 8 to 16 KiB; mean about 2.9 KiB), the same in every process.
     */
    static int payload(int channel, long seq) {
        long x = (channel * 1_000_003L + seq + 1) * 0x9E3779B97F4A7C15L;
        x ^= x >>> 31;
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 29;
        double u = (x >>> 11) / (double) (1L << 53);
        return (int) Math.min(MAX_PAYLOAD, Math.round(MIN_PAYLOAD * Math.pow((double) MAX_PAYLOAD / MIN_PAYLOAD, u)));
    }
}
