package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.HubProcess;
import io.eventstream.it.support.ServerProcessFiles;
import io.eventstream.it.support.SlowLoris;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Slow loris on WildFly 37 with {@code standalone-full.xml} and the deploy recipe's {@code deploy/wildfly/request-limits.cli}
 * run on it: Undertow's {@code request-parse-timeout} ({@value #PARSE_SECONDS} s) runs from the first byte of a head
 * that did not arrive whole to its end, so it closes the dribbling connections as well as the stalled ones.
 */
class WildFlySlowLorisIT extends SlowLorisChecks {

    private static final int PARSE_SECONDS = 20; // request-limits.cli's request-parse-timeout
    private static final Path JAVA = Path.of(System.getProperty("java.home"));

    @Override
    HubProcess startServer() throws Exception {
        Path wildFly = Path.of(System.getProperty("wildfly.home", "target/wildfly"));
        return HubProcess.wildFly("wildfly-slow-loris", JAVA, wildFly, List.of(HubProcess.WAR), SmokeChecks.PROPERTIES,
                base -> HubProcess.runCliOffline(JAVA, wildFly, base, Path.of("deploy/wildfly/request-limits.cli")));
    }

    @Override
    String workerPool() {
        return ServerProcessFiles.WILDFLY_WORKERS;
    }

    @Override
    int maxWorkers() {
        return Runtime.getRuntime().availableProcessors() * 16; // the io subsystem's task-max-threads default
    }

    @Override
    Duration stalledHeadTimeout() {
        return Duration.ofSeconds(PARSE_SECONDS);
    }

    @Override
    void checkSlowConnections(SlowLoris attack) throws InterruptedException {
        Duration bound = stalledHeadTimeout().plus(MAX_BYTE_INTERVAL).plus(WAIT);
        assertTrue(attack.awaitAllClosedByServer(bound), attack.open() + " of " + ATTACKERS
                + " dribbling heads are still open " + bound + " after they started; bytes sent " + attack.progress());
    }
}
