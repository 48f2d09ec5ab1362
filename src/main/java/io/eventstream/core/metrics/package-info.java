/**
 * What the node measures, without a metrics library: the ports the metrics adapter implements (timings, the
 * exposition) and the count of refused HTTP requests. Every other count lives with the code that does the counting
 * (streams, admission, hub, publisher), as plain {@code LongAdder}s read only when metrics are scraped.
 */
package io.eventstream.core.metrics;
