/**
 * A small application of its own that uses the library as a user's would ({@code LibraryChecks}): its own JAX-RS
 * application at {@code /api} and its own servlet, resources that publish with {@code EventSender} and stream through
 * {@code Channels}, and an authorizer and a custom stream the hub finds in it. Deployed as {@code shop.war}, never
 * inside the hub's WAR.
 */
package io.eventstream.it.app;
