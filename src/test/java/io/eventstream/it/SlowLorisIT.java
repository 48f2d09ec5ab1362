package io.eventstream.it;

import io.eventstream.it.support.Hub;
import io.eventstream.it.support.HubProcess;
import io.eventstream.it.support.ServerProcessFiles;
import io.eventstream.it.support.SlowLoris;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Slow loris on Payara Micro 6 with the deploy recipe's pre-boot file, its idle timeout ({@code http.timeout-seconds},
 * 120 s there) shortened to {@value #IDLE_SECONDS} s so that the test sees it act. Grizzly parses request heads
 * without holding a thread, so the dribbling connections cost a socket each and the normal client is served; but its
 * only timer is that idle timeout, which every byte restarts: it closes a head that stalls, never one that dribbles
 * (deploy/README.md, "Slow request heads"). So the dribblers are counted, not required to be closed.
 */
class SlowLorisIT extends SlowLorisChecks {

    private static final int IDLE_SECONDS = 10;

    @Override
    HubProcess startServer() throws Exception {
        Path preBoot = Files.createDirectories(HubProcess.TARGET.resolve("slow-loris")).resolve("pre-boot.asadmin");
        String recipe = Files.readString(HubProcess.PRE_BOOT);
        String shortened = recipe.replace("http.timeout-seconds=120", "http.timeout-seconds=" + IDLE_SECONDS);
        if (shortened.equals(recipe)) {
            throw new AssertionError("the recipe's pre-boot file no longer sets http.timeout-seconds=120: update this test");
        }
        Files.writeString(preBoot, shortened);
        return HubProcess.payaraMicro("slow-loris", Path.of(System.getProperty("java.home")),
                Path.of(System.getProperty("payara.microJar", "target/payara-micro.jar")), HubProcess.WAR,
                // A 1 s keep-alive: Payara notices a client that left only when a keep-alive write fails, and the test
                // waits for the normal client's streams to be gone (the default interval made that 30 s wait fail in CI).
                Map.of("eventstream.publish.token", Hub.TOKEN, "eventstream.keepalive", "PT1S"), preBoot);
    }

    @Override
    String workerPool() {
        return ServerProcessFiles.PAYARA_WORKERS;
    }

    @Override
    int maxWorkers() {
        return 200; // http-thread-pool's max-thread-pool-size in Payara Micro's domain.xml; the recipe leaves it
    }

    @Override
    Duration stalledHeadTimeout() {
        return Duration.ofSeconds(IDLE_SECONDS);
    }

    @Override
    void checkSlowConnections(SlowLoris attack) {
        System.out.println("SlowLorisIT: Payara closed " + attack.closedByServer() + " of " + ATTACKERS
                + " dribbling heads (its idle timer restarts with every byte); the test closes the rest itself");
    }
}
