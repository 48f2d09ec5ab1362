package io.eventstream.it;

import io.eventstream.it.support.HubProcess;
import java.nio.file.Path;

/** The smoke suite on Payara Micro 7 (Jakarta EE 11), which needs Java 21 or later: run on the newest Temurin here. */
class PayaraMicro7SmokeIT extends SmokeChecks {

    @Override
    HubProcess startServer() throws Exception {
        Path microJar = Path.of(System.getProperty("payara.micro7Jar", "target/payara-micro-7.jar"));
        return HubProcess.payaraMicro("payara-micro-7", HubProcess.javaHome(21), microJar, PROPERTIES);
    }
}
