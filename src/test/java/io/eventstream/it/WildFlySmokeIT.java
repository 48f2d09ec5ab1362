package io.eventstream.it;

import io.eventstream.it.support.HubProcess;
import java.nio.file.Path;

/** The smoke suite on WildFly 37 with {@code standalone-full.xml} as shipped, on the Java that runs the tests (17). */
class WildFlySmokeIT extends SmokeChecks {

    @Override
    HubProcess startServer() throws Exception {
        Path home = Path.of(System.getProperty("wildfly.home", "target/wildfly"));
        return HubProcess.wildFly("wildfly", Path.of(System.getProperty("java.home")), home, PROPERTIES);
    }
}
