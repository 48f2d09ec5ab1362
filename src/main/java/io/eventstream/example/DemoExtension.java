package io.eventstream.example;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Keeps the examples out of production: unless {@code eventstream.demo} is true, their beans do not exist, so
 * {@code /streams/clock} answers {@code 404} like any unknown stream (and an application may use the name).
 */
public class DemoExtension implements Extension {

    void vetoUnlessDemo(@Observes ProcessAnnotatedType<ClockStream> example) {
        if (!ConfigProvider.getConfig().getValue("eventstream.demo", Boolean.class)) {
            example.veto();
        }
    }
}
