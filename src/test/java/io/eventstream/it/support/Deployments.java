package io.eventstream.it.support;

import io.eventstream.it.probes.PermissionProbe;
import io.eventstream.it.probes.SenderProbe;
import io.eventstream.it.probes.TestAuthorizer;
import io.eventstream.it.probes.TestLogins;
import io.eventstream.it.probes.WhoAmIStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The archive every integration test deploys: the WAR the build produced, plus the test's publishing probe. */
public final class Deployments {

    private Deployments() {
    }

    /**
     * The WAR of SecurityIT, as a file named {@code eventstream.war} for a process to deploy: the probes, an
     * application {@code ChannelAuthorizer} and container authentication (HTTP Basic).
     */
    public static Path secured() throws IOException {
        Path war = Files.createDirectories(HubProcess.TARGET.resolve("secured")).resolve("eventstream.war");
        eventstream().addClasses(TestAuthorizer.class, TestLogins.class, PermissionProbe.class, WhoAmIStream.class)
                .as(ZipExporter.class).exportTo(war.toFile(), true);
        return war;
    }

    public static WebArchive eventstream() {
        File war = new File(System.getProperty("eventstream.war", "target/eventstream.war"));
        return ShrinkWrap.createFromZipFile(WebArchive.class, war)
                .addClasses(SenderProbe.class, SenderProbe.Greeting.class);
    }
}
