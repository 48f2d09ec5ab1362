/** Integration tests: the real WAR on a real Payara Micro, read by real HTTP SSE clients. */
package io.eventstream.it;
