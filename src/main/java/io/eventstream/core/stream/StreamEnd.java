package io.eventstream.core.stream;

/**
 * Why a stream ended, as its end-of-stream log line and the metrics name it: the first reason given wins.
 */
public enum StreamEnd {
    /** The client's connection failed or was closed by the client (a write failed, the container reported an error). */
    CLIENT_LEFT("client-left", false),
    /** The client fell {@code eventstream.client.buffer} events behind. */
    SLOW("slow", true),
    /** The client's connection refused bytes for {@code eventstream.client.write-timeout}. */
    WRITE_TIMEOUT("write-timeout", true),
    /** The reader lost access to one of its channels ({@code stream-error forbidden}). */
    REVOKED("revoked", true),
    /** The reader's subscriber token expired ({@code stream-error unauthorized}). */
    EXPIRED("expired", true),
    /** The application is stopping (undeployed, or the server shuts down). */
    SERVER_STOPPING("server-stopping", false),
    /** Ended on purpose by the server side: a custom stream's source, an application's broadcaster, the container. */
    CLOSED("closed", false),
    /** A fault while writing or opening (the container's or ours): logged with its stack trace where it happened. */
    FAILED("failed", false);

    private final String label;
    private final boolean dropped;

    StreamEnd(String label, boolean dropped) {
        this.label = label;
        this.dropped = dropped;
    }

    /** The name in log lines and metrics, e.g. {@code write-timeout}. */
    public String label() {
        return label;
    }

    /** Whether the hub cut the client off (counted in {@code eventstream_clients_dropped_total}). */
    public boolean dropped() {
        return dropped;
    }
}
