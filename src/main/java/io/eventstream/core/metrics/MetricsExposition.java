package io.eventstream.core.metrics;

/** The port the node's metrics are read through, in the text format a scraper asks for (Prometheus's). */
public interface MetricsExposition {

    /** The {@code Content-Type} of {@link #scrape()}. */
    String contentType();

    /** Every metric of this node, now. */
    String scrape();
}
