package io.eventstream.benchprobe;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The probe's JAX-RS application at {@code /bench}: the hub has none of its own. */
@ApplicationPath("bench")
public class BenchApplication extends Application {
}
