package io.eventstream.bench;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The cluster scenario's sizes and places, read from the command line alike by the publisher process and by every
 * subscriber process: the nodes, how many subscriber processes share how many subscribers, the phases' rate and
 * length, the directory they signal through and the results file.
 */
record ClusterPlan(boolean smoke, List<InetSocketAddress> nodes, int clients, int subscribers, double rate, int payload,
                   double seconds, double warmUpSeconds, long connectMillis, int sources, Path sync, Path out) {

    /** One process may hold at most the hard limit of open files, 20,000 here, less what the JVM opens itself. */
    static final int MAX_PER_CLIENT = 19_000;

    static ClusterPlan of(Map<String, String> args) {
        boolean smoke = args.containsKey("smoke");
        List<InetSocketAddress> nodes = Arrays.stream(args.get("nodes").split(","))
                .map(port -> new InetSocketAddress("127.0.0.1", Integer.parseInt(port))).toList();
        int clients = Integer.parseInt(args.get("clients"));
        int subscribers = Integer.parseInt(args.getOrDefault("subscribers", smoke ? "300" : "50000"));
        if ((subscribers + clients - 1) / clients > MAX_PER_CLIENT) {
            throw new IllegalArgumentException(subscribers + " subscribers need more than " + clients
                    + " client processes: one holds at most " + MAX_PER_CLIENT);
        }
        return new ClusterPlan(smoke, nodes, clients, subscribers,
                Double.parseDouble(args.getOrDefault("rate", smoke ? "2" : "1")), 64,
                smoke ? 3 : 30, smoke ? 1 : 5, smoke ? 30_000 : 600_000,
                Integer.parseInt(args.getOrDefault("sources", "8")), Path.of(args.get("sync")), Path.of(args.get("out")));
    }

    /** How many subscribers client process {@code index} holds: an even share, the first ones one more. */
    int share(int index) {
        return share(subscribers, clients, index);
    }

    /** The number, over all processes, of client process {@code index}'s first subscriber. */
    int firstSubscriber(int index) {
        return firstSubscriber(subscribers, clients, index);
    }

    /** How many of {@code subscribers} process {@code index} of {@code clients} holds: the first ones one more. */
    static int share(int subscribers, int clients, int index) {
        return subscribers / clients + (index < subscribers % clients ? 1 : 0);
    }

    /** The number of process {@code index}'s first subscriber when {@code clients} processes share them. */
    static int firstSubscriber(int subscribers, int clients, int index) {
        return index * (subscribers / clients) + Math.min(index, subscribers % clients);
    }

    /** Subscriber number {@code n} connects to node n mod nodes, so every node holds an even share. */
    int nodeOf(int n) {
        return n % nodes.size();
    }

    /** The drain bound of every run: what arrives later counts as lost. */
    long drainNanos() {
        return (long) (PhaseFigures.drainSeconds(smoke, seconds) * 1e9);
    }

    String label() {
        return String.format(java.util.Locale.ROOT, "cluster %d nodes x %d subs, %s/s %d B", nodes.size(), subscribers,
                JsonLine.plain(rate), payload);
    }
}
