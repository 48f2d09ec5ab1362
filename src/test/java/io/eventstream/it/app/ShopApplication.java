package io.eventstream.it.app;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The application's own JAX-RS application, as most have one: at {@code /api}. */
@ApplicationPath("/api")
public class ShopApplication extends Application {
}
