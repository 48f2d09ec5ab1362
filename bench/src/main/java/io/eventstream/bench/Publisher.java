package io.eventstream.bench;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes events at a fixed rate over HTTP/1.1 keep-alive connections, each event at its scheduled time (open
 * loop: a slow answer delays only the events of its own connection). Event {@code k} goes to channel
 * {@code k % channels} with sequence number {@code k / channels}; every channel belongs to one connection, so each
 * channel's events leave in sequence order. The data is {@code {"r":run,"s":seq,"t":sendMicros,"p":"xx.."}},
 * padded to the payload size.
 */
final class Publisher {

    private final Target target;
    private final InetSocketAddress address;
    private final String token;

    Publisher(Target target, InetSocketAddress address, String token) {
        this.target = target;
        this.address = address;
        this.token = token;
    }

    /** What one run of the publisher did. */
    static final class Result {
        long[] publishedPerChannel;
        long published;
        long errors;
        String firstError;
        double seconds;
        long lateMaxMicros; // how far behind schedule the latest send was
        long rttP50Micros, rttP99Micros; // request written to answer read
    }

    Result run(long runId, int channels, java.util.function.IntFunction<String> channelName, double rate, int payload,
               double seconds, int maxThreads) throws InterruptedException {
        return run(runId, channels, channelName, rate, payload, seconds, maxThreads, 1);
    }

    /**
     * As {@link #run(long, int, java.util.function.IntFunction, double, int, double, int)}, with {@code batch} events
     * per request (the hub's batch endpoint): each thread groups its own next events, and sends the group when its
     * last event is due. A channel's events all go through one thread, so they stay in sequence order.
     */
    Result run(long runId, int channels, java.util.function.IntFunction<String> channelName, double rate, int payload,
               double seconds, int maxThreads, int batch) throws InterruptedException {
        int threads = 1;
        for (int t = Math.min(maxThreads, channels); t >= 1; t--) {
            if (channels % t == 0) { // every channel's events on one thread
                threads = t;
                break;
            }
        }
        long total = Math.round(rate * seconds);
        long[] published = new long[channels];
        AtomicLong errors = new AtomicLong();
        AtomicLong late = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long start = System.nanoTime() + 20_000_000;
        List<Thread> workers = new ArrayList<>();
        List<LatencyHistogram> rtts = new ArrayList<>();
        int n = threads;
        for (int j = 0; j < threads; j++) {
            int first = j;
            LatencyHistogram rtt = new LatencyHistogram();
            rtts.add(rtt);
            Thread w = new Thread(() -> {
                HttpConnection conn = new HttpConnection(address);
                String hostPort = address.getHostString() + ":" + address.getPort();
                List<Integer> groupChannels = new ArrayList<>(batch);
                List<String> groupData = new ArrayList<>(batch);
                try {
                    for (long k = first; k < total; k += n) {
                        long due = start + (long) (k * 1e9 / rate);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        } else {
                            late.accumulateAndGet(-wait / 1000, Math::max);
                        }
                        int channel = (int) (k % channels);
                        groupChannels.add(channel);
                        groupData.add(data(runId, k / channels, payload, due));
                        if (groupChannels.size() < batch && k + n < total) {
                            continue;
                        }
                        byte[] request = batch == 1
                                ? target.publishRequest(hostPort, token, channelName.apply(channel), groupData.get(0))
                                : target.publishBatchRequest(hostPort, token,
                                        groupChannels.stream().map(channelName::apply).toList(), groupData);
                        long sent = System.nanoTime();
                        String error = conn.send(request, 2).error();
                        rtt.record((System.nanoTime() - sent) / 1000);
                        if (error == null) {
                            groupChannels.forEach(c -> published[c]++);
                        } else {
                            errors.addAndGet(groupChannels.size());
                            firstError.compareAndSet(null, error);
                        }
                        groupChannels.clear();
                        groupData.clear();
                    }
                } finally {
                    conn.close();
                }
            }, "publisher-" + j);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        Result r = new Result();
        r.publishedPerChannel = published; // each slot written by one thread, read after join
        for (long p : published) {
            r.published += p;
        }
        r.errors = errors.get();
        r.firstError = firstError.get();
        r.seconds = (System.nanoTime() - start) / 1e9;
        r.lateMaxMicros = late.get();
        LatencyHistogram all = new LatencyHistogram();
        rtts.forEach(all::add);
        r.rttP50Micros = all.quantile(0.5);
        r.rttP99Micros = all.quantile(0.99);
        return r;
    }

    /**
     * The event data: run, sequence, the time the event was due ({@code t}) and how late it was made ({@code l}, both
     * µs) first (the reader only looks at a line's start), then padding. A subscriber's latency counts from {@code t}:
     * a publisher held back by a slow server (its previous publish not answered yet) makes its next event late, and that
     * wait is the server's, not to be left out (coordinated omission); {@code t + l} gives the latency from the send.
     */
    static String data(long run, long seq, int payload, long dueNanos) {
        long due = Clock.micros(dueNanos);
        long late = Math.max(0, Clock.micros() - due);
        String head = "{\"r\":" + run + ",\"s\":" + seq + ",\"t\":" + due + ",\"l\":" + late + ",\"p\":\"";
        int pad = Math.max(0, payload - head.length() - 2);
        return head + "x".repeat(pad) + "\"}";
    }

    /** As {@link #data(long, long, int, long)}, for an event due now. */
    static String data(long run, long seq, int payload) {
        return data(run, seq, payload, System.nanoTime());
    }
}
