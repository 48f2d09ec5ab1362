/**
 * The admin page's data, with no HTTP in it: the once-a-second snapshot of the cluster (its nodes, their load, the
 * busiest channels) as JSON, and the SSE feed that carries it to each open admin page.
 */
package io.eventstream.core.admin;
