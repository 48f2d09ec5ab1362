/**
 * The subscribing side: the SSE endpoint, parsing of what a client asks for, one broadcaster per channel,
 * and the per-connection stream with its bounded send buffer and keep-alive.
 */
package io.eventstream.subscribe;
