package io.eventstream.it;

import io.eventstream.it.support.Deployments;
import io.eventstream.it.support.Hub;
import io.eventstream.it.support.ServerProcessFiles;
import io.eventstream.it.support.ServerProcessFiles.Usage;
import io.eventstream.it.support.SseClient;
import java.io.IOException;
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
    // After an attack, a few more files and threads than before are pools keeping what they grew (and the test's own
    // keep-alive connections); the request pool (Grizzly's http-thread-pool, at most 200 threads, idle ones kept 900 s)
    // is bounded by its maximum instead.
    private static final int PAYARA_MAX_WORKERS = 200;
    private static final Duration BACK_TO_BASELINE = Duration.ofSeconds(60);

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

    /** The Payara Micro process Arquillian started (found by the port it listens on), its request pool counted apart. */
    ServerProcessFiles serverProcess() throws IOException {
        return ServerProcessFiles.listeningOn(base.getPort()).withWorkerPool(ServerProcessFiles.PAYARA_WORKERS);
    }

    /**
     * What the node holds at rest once a normal client has subscribed, published and left (so the pools that serves
     * exist): the baseline an attack is measured against.
     */
    Usage restingUsage() throws IOException, InterruptedException {
        try (SseClient client = hub.subscribe("baseline")) {
            client.next(WAIT);
            hub.publishData("baseline", "1");
            client.next(WAIT);
        }
        hub.awaitStatus(status -> status.getInt("connections") == 0, WAIT);
        return serverProcess().usage();
    }

    /**
     * Waits until the node holds no stream and at most {@code tolerance} more files and threads (outside its request
     * pool) than at {@code baseline}, or fails.
     */
    void assertBackTo(Usage baseline, int tolerance) throws IOException, InterruptedException {
        hub.awaitStatus(status -> status.getInt("connections") == 0, BACK_TO_BASELINE);
        Usage now = serverProcess().awaitBackTo(baseline, tolerance, tolerance, PAYARA_MAX_WORKERS, BACK_TO_BASELINE);
        System.out.println(getClass().getSimpleName() + ": the node holds " + now + "; baseline " + baseline);
    }
}
