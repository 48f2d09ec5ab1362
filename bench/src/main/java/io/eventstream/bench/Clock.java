package io.eventstream.bench;

/**
 * Send and receive times in microseconds on the machine's monotonic clock, so an event's latency is its receive
 * time minus the send time it carries in its data, also when another process sent it (the cluster scenario).
 */
final class Clock {

    private Clock() {
    }

    static long micros() {
        return micros(System.nanoTime());
    }

    // HotSpot on Linux reads System.nanoTime from CLOCK_MONOTONIC with no per-JVM offset, and that clock is one
    // for the whole machine: processes on it can compare their readings (the JDK promises this only within a JVM).
    static long micros(long nanoTime) {
        return nanoTime / 1000;
    }
}
