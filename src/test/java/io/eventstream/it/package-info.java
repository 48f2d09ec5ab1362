/**
 * Integration tests: the real WAR on a real Payara Micro 6 (Arquillian), and in the smoke suites on Payara Micro 7
 * and WildFly (started as processes), read by real HTTP SSE clients. Only the test classes live here ({@code *IT} and
 * their abstract bases {@link io.eventstream.it.HubIT} and {@link io.eventstream.it.SmokeChecks}); the servers,
 * brokers, proxies and clients they drive are in {@link io.eventstream.it.support}, and the code they add to the
 * deployed WAR is in {@link io.eventstream.it.probes}.
 */
package io.eventstream.it;
