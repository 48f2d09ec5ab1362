/**
 * Where a client is: IP literals read without DNS ({@link io.eventstream.core.net.IpLiteral}), the proxies whose
 * {@code X-Forwarded-For} is believed ({@link io.eventstream.core.net.TrustedProxies}), and the client's address from
 * the socket's peer and that header ({@link io.eventstream.core.net.ClientAddress}). Pure: no servlet, no
 * configuration; the HTTP adapter feeds it what a request says.
 */
package io.eventstream.core.net;
