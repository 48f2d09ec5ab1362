package io.eventstream.bench;

/**
 * Send and receive times in microseconds on one monotonic clock: the publisher and the SSE reader run in the same
 * process, so an event's latency is its receive time minus the send time it carries in its data.
 */
final class Clock {

    private static final long ORIGIN = System.nanoTime();

    private Clock() {
    }

    static long micros() {
        return micros(System.nanoTime());
    }

    static long micros(long nanoTime) {
        return (nanoTime - ORIGIN) / 1000;
    }
}
