package io.eventstream.it;

import io.eventstream.it.support.HubProcess;
import java.nio.file.Path;

/** {@link LibraryChecks} on Payara Micro 6, the main test runtime, on the Java that runs the tests (17). */
class PayaraLibraryIT extends LibraryChecks {

    @Override
    HubProcess startServer(Path shopWar) throws Exception {
        return HubProcess.payaraMicro("library-payara", Path.of(System.getProperty("java.home")),
                Path.of(System.getProperty("payara.microJar", "target/payara-micro.jar")), shopWar, NO_DATA_DIR);
    }
}
