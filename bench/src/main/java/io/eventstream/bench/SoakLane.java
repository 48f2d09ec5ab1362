package io.eventstream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One thread of the soak's publisher: its own channels, one path (HTTP or EventSender), open loop at its rate. Its
 * event {@code j} goes to channel {@code channels[j % m]} with sequence number {@code j / m}, due at
 * {@code j / rate} seconds after the start; the events already due leave together (at most one a channel, so a
 * group never holds two events of one channel). An event that is refused or unanswered is sent again, to whichever
 * node is up, until it is published, before any later event of the lane: so every channel's events are published
 * in sequence order, with no gap. An unanswered one may have been published already: it is remembered as
 * uncertain, so that a duplicate of it is told apart from one the hub made.
 */
final class SoakLane implements Runnable {

    private static final long RETRY_NANOS = 200_000_000;

    private final int[] channels;
    private final double rate;
    private final int preferredNode;
    private final SoakTransport transport;
    private final AtomicReference<NodeBoard> board;
    private final long startNanos;
    private final long endNanos;
    private final long giveUpNanos;
    private final long[] publishedPerChannel; // shared: this lane writes its own channels' slots only

    /** The node a request of this lane is on its way to, or -1: the publisher drains a node by waiting for it. */
    volatile int inFlightNode = -1;
    long sent;
    long refused;
    long unknown;
    long lateMaxMicros;
    boolean abandoned;
    final List<SoakTransport.Event> uncertain = new ArrayList<>();

    SoakLane(int[] channels, double rate, int preferredNode, SoakTransport transport, AtomicReference<NodeBoard> board,
             long startNanos, long endNanos, long giveUpNanos, long[] publishedPerChannel) {
        this.channels = channels.clone();
        this.rate = rate;
        this.preferredNode = preferredNode;
        this.transport = transport;
        this.board = board;
        this.startNanos = startNanos;
        this.endNanos = endNanos;
        this.giveUpNanos = giveUpNanos;
        this.publishedPerChannel = publishedPerChannel;
    }

    @Override
    public void run() {
        int m = channels.length;
        for (long j = 0; due(j) < endNanos && !abandoned; ) {
            long wait = due(j) - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                lateMaxMicros = Math.max(lateMaxMicros, -wait / 1000);
            }
            List<SoakTransport.Event> group = new ArrayList<>();
            long now = System.nanoTime();
            while (group.size() < m && due(j) <= now && due(j) < endNanos) {
                group.add(new SoakTransport.Event(channels[(int) (j % m)], j / m));
                j++;
            }
            publish(group);
        }
    }

    private long due(long j) {
        return startNanos + (long) (j * 1e9 / rate);
    }

    /** Sends the group until every event of it is published, or gives up when the run is long over. */
    private void publish(List<SoakTransport.Event> group) {
        List<SoakTransport.Event> pending = group;
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (System.nanoTime() > giveUpNanos) {
                abandoned = true;
                return;
            }
            if (attempt > 0) {
                LockSupport.parkNanos(RETRY_NANOS);
            }
            // Retries alternate between the nodes: one may be failing while the other works.
            int node = claim(attempt % 2 == 0 ? preferredNode : (preferredNode + 1) % board.get().states().length);
            if (node < 0) {
                continue;
            }
            SoakTransport.Outcome[] outcomes;
            try {
                outcomes = transport.send(node, pending);
            } finally {
                inFlightNode = -1;
            }
            List<SoakTransport.Event> again = new ArrayList<>();
            for (int i = 0; i < outcomes.length; i++) {
                SoakTransport.Event e = pending.get(i);
                switch (outcomes[i]) {
                    case SENT -> {
                        sent++;
                        publishedPerChannel[e.channel()] = e.seq() + 1;
                    }
                    case REFUSED -> {
                        refused++;
                        again.add(e);
                    }
                    case UNKNOWN -> {
                        unknown++;
                        uncertain.add(e);
                        again.add(e);
                    }
                }
            }
            pending = again;
        }
    }

    /**
     * Picks an up node and marks it as this lane's destination before looking at the board again: the publisher
     * sets the board aside first and reads the marks after, so either it sees the mark or the lane sees the change.
     */
    private int claim(int preferred) {
        int node = board.get().pick(preferred);
        if (node < 0) {
            return -1;
        }
        inFlightNode = node;
        if (!board.get().up(node)) {
            inFlightNode = -1;
            return -1;
        }
        return node;
    }
}
