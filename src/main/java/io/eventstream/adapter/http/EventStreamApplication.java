package io.eventstream.adapter.http;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The JAX-RS application at the WAR's root, so the contract's paths are {@code {root}/events...}. */
@ApplicationPath("/")
public class EventStreamApplication extends Application {
}
