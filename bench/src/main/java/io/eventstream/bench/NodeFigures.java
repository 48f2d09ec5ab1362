package io.eventstream.bench;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One hub node's figures at one moment: heap in MiB (after the JVM's latest collection, or after a full collection
 * the probe asked for), resident set in MiB ({@code /proc/PID/status} VmRSS), open files ({@code /proc/PID/fd}),
 * threads ({@code /proc/PID/task}) and the streams it says it holds ({@code /status}); -1 where unknown.
 */
record NodeFigures(long heapMib, long rssMib, int openFiles, int threads, long connections) {

    static final NodeFigures NONE = new NodeFigures(-1, -1, -1, -1, -1);

    /** Reads the figures of the node at {@code address} with process {@code pid}; {@code fullGc} forces one first. */
    static NodeFigures of(InetSocketAddress address, int pid, boolean fullGc) {
        // Long enough for a node busy starting: a request given up makes Jersey log SEVERE in the node's log (the
        // probe's resource cannot commit its answer), which the soak's verdict counts.
        Duration timeout = Duration.ofSeconds(fullGc ? 60 : 15);
        long heap = NodeStatus.field(address, "/eventstream/bench/soak/jvm" + (fullGc ? "?gc=true" : ""),
                fullGc ? "heapUsed" : "heapAfterLastGc", timeout);
        String conns = NodeStatus.connections(address, timeout);
        long rssKib = new ProcessProbe(pid).rssKib();
        return new NodeFigures(heap < 0 ? -1 : heap >> 20, rssKib <= 0 ? -1 : rssKib >> 10,
                ProcessProbe.openFiles(pid), ProcessProbe.threads(pid), conns.equals("?") ? -1 : Long.parseLong(conns));
    }

    /** The figures as CSV fields, an unknown one empty. */
    String csv() {
        return field(heapMib) + "," + field(rssMib) + "," + field(openFiles) + "," + field(threads) + "," + field(connections);
    }

    private static String field(long value) {
        return value < 0 ? "" : String.valueOf(value);
    }

    static String csvHeader(String prefix) {
        return prefix + "heap_mib," + prefix + "rss_mib," + prefix + "fds," + prefix + "threads," + prefix + "conns";
    }
}
