package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.HubProcess;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LibraryChecks} on Payara Micro 6, the main test runtime, on the Java that runs the tests (17). */
class PayaraLibraryIT extends LibraryChecks {

    @Test
    void payaraServesTheHubsHealthChecksForTheApplication() throws Exception {
        for (String check : List.of("ready", "live")) {
            HttpResponse<String> health = hub.get("../../health/" + check);
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains(check.equals("ready") ? "\"eventstream-broker\"" : "\"eventstream-threads\""),
                    health.body());
            assertTrue(health.body().contains("\"UP\""), health.body());
        }
    }

    @Override
    HubProcess startServer(Path shopWar) throws Exception {
        return HubProcess.payaraMicro("library-payara", Path.of(System.getProperty("java.home")),
                Path.of(System.getProperty("payara.microJar", "target/payara-micro.jar")), shopWar, NO_DATA_DIR);
    }
}
