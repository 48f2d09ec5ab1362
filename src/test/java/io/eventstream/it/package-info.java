/**
 * Integration tests: the real WAR on a real Payara Micro 6 (Arquillian), and in the smoke suites on Payara Micro 7
 * and WildFly (started as processes), read by real HTTP SSE clients.
 */
package io.eventstream.it;
