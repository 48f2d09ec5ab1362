/**
 * What the integration tests use that is neither a test nor deployed: harnesses that start real processes (hub
 * nodes on Payara Micro or WildFly, an Artemis broker, nginx, headless Chromium), wait for them, stop them and start
 * them again, a proxy a test can break, the archives to deploy, and the test's view of a hub
 * ({@link io.eventstream.it.support.Hub}) with a plain-socket SSE client ({@link io.eventstream.it.support.SseClient}),
 * one that resumes by itself ({@link io.eventstream.it.support.ResumingClient}), and publishers that record what was
 * acknowledged ({@link io.eventstream.it.support.PublishLog}). It runs in the test JVM only; a class with
 * tests in it belongs in {@code io.eventstream.it}, and code for the server's side in {@code io.eventstream.it.probes}.
 */
package io.eventstream.it.support;
