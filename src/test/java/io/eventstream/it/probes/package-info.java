/**
 * Code the integration tests add to the deployed WAR, playing the part of an application's own code: a publisher
 * with an injected {@code EventSender}, a permission-change announcer, a {@code ChannelAuthorizer}, HTTP Basic
 * logins and a custom {@code StreamSource}. It runs inside the server, so it may use only what the WAR and the
 * container provide (the public {@code io.eventstream.api} and Jakarta EE), never the test harness in
 * {@link io.eventstream.it.support}; {@link io.eventstream.it.support.Deployments} decides which archive carries which.
 */
package io.eventstream.it.probes;
