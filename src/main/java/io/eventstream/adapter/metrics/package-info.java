/**
 * Micrometer, and only here: the node's counts and gauges bound to a Prometheus registry, read when scraped
 * ({@link io.eventstream.adapter.metrics.NodeMeters}), its timers (MicrometerTimings)
 * and the exposition the HTTP adapter serves at {@code /metrics} ({@link io.eventstream.adapter.metrics.PrometheusScrape}).
 * Nothing here runs per subscriber: counts are the core's own {@code LongAdder}s, read at scrape time.
 */
package io.eventstream.adapter.metrics;
