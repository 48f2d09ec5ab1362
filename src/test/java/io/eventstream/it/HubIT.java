package io.eventstream.it;

import io.eventstream.it.support.Deployments;
import io.eventstream.it.support.Hub;
import java.net.URL;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** Base of the integration tests: each test class deploys the built WAR on its own Payara Micro and talks HTTP to it. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class HubIT {

    static final Duration WAIT = Duration.ofSeconds(10);

    @ArquillianResource
    URL base;

    Hub hub;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.eventstream();
    }

    @BeforeEach
    void connectHub() {
        hub = new Hub(base);
    }
}
