package io.eventstream.it.probes;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The probes' JAX-RS application, at {@code /it} of the WAR under test: the hub itself has no JAX-RS application, so
 * the probes bring their own, as any application that uses the library does.
 */
@ApplicationPath("it")
public class ProbeApplication extends Application {
}
