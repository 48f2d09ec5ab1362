/**
 * The HTTP side: the servlet filters that serve streams and publishing below JAX-RS, the non-blocking servlet
 * connection (the core's {@code Connection} port), URL parsing, the JSON problem for every refusal, CORS, the status
 * and metrics endpoints and the pages. Everything here turns HTTP into calls on the core, and the core's answers back into HTTP.
 */
package io.eventstream.adapter.http;
