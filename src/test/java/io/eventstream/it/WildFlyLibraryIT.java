package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.app.CollidingServlet;
import io.eventstream.it.app.HelloServlet;
import io.eventstream.it.support.Deployments;
import io.eventstream.it.support.HubProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * {@link LibraryChecks} on WildFly 37 ({@code standalone-full.xml} as shipped), and beside {@code shop.war} two
 * applications set up wrongly, each of which must fail its own deployment with one line that says what to fix, and
 * leave the others working: the library in it twice, and a servlet mapped below the hub's path.
 */
class WildFlyLibraryIT extends LibraryChecks {

    @Override
    HubProcess startServer(Path shopWar) throws Exception {
        WebArchive twice = Deployments.application("twice", "eventstream.broker.data-dir=twice-data\n", HelloServlet.class)
                .addAsLibrary(Deployments.LIBRARY.toFile(), "eventstream-lib-copy.jar");
        WebArchive collides = Deployments.application("collides", "eventstream.broker.data-dir=collides-data\n",
                HelloServlet.class, CollidingServlet.class);
        String folder = "library-" + getClass().getSimpleName();
        return HubProcess.wildFly("library-wildfly", Path.of(System.getProperty("java.home")),
                Path.of(System.getProperty("wildfly.home", "target/wildfly")),
                List.of(shopWar, Deployments.export(twice, folder), Deployments.export(collides, folder)), NO_DATA_DIR);
    }

    @Test
    void anApplicationWithTheLibraryTwiceFailsToDeployNamingBothCopies() throws Exception {
        String failure = awaitFailure("twice.war");
        assertTrue(failure.contains("the library is in this application 2 times"), failure);
        assertTrue(failure.contains("eventstream-lib-copy.jar"), failure);
        assertTrue(server.log().contains("eventstream: cannot deploy: the library is in this application 2 times ("),
                "one SEVERE line in the server log");
    }

    @Test
    void anApplicationWhoseServletCollidesWithThePathFailsToDeploy() throws Exception {
        String failure = awaitFailure("collides.war");
        assertTrue(failure.contains("eventstream.path=/eventstream collides with the application's"), failure);
        assertTrue(failure.contains("/eventstream/admin"), failure);
        assertTrue(server.log().contains("eventstream: cannot deploy /collides: eventstream.path=/eventstream collides"),
                "one SEVERE line in the server log");
        assertEquals(404, hub.get("../../collides/hello").statusCode(), "nothing of it is served");
    }

    // The scanner deploys the three side by side; shop.war being up does not mean the others are done.
    private String awaitFailure(String war) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> failure = server.deploymentFailure(war);
            if (failure.isPresent()) {
                return failure.get();
            }
            Thread.sleep(200); // the deployment scanner's marker file is the only signal
        }
        throw new AssertionError(war + " did not fail to deploy within 60 s");
    }
}
