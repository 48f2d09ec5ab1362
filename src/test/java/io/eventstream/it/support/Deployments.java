package io.eventstream.it.support;

import io.eventstream.it.probes.PermissionProbe;
import io.eventstream.it.probes.ProbeApplication;
import io.eventstream.it.probes.RefusalMapper;
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
import org.jboss.shrinkwrap.api.asset.StringAsset;
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
                .addClasses(ProbeApplication.class, RefusalMapper.class, SenderProbe.class, SenderProbe.Greeting.class);
    }

    /** The library JAR the build attached (classifier {@code lib}), as an application's Maven build puts it in WEB-INF/lib. */
    public static final Path LIBRARY = Path.of(System.getProperty("eventstream.lib", "target/eventstream-lib.jar"));

    /**
     * An application of its own, {@code <name>.war}, that uses the library as a user's would: its classes, its own
     * {@code META-INF/microprofile-config.properties}, and in {@code WEB-INF/lib} the library JAR and the libraries it
     * depends on (those Maven resolves for it: the ones the hub's WAR holds).
     */
    public static WebArchive application(String name, String config, Class<?>... classes) {
        WebArchive app = ShrinkWrap.create(WebArchive.class, name + ".war").addClasses(classes)
                .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties")
                .addAsLibrary(LIBRARY.toFile(), LIBRARY.getFileName().toString());
        WebArchive hub = ShrinkWrap.createFromZipFile(WebArchive.class, HubProcess.WAR.toFile());
        hub.getContent(path -> path.get().startsWith("/WEB-INF/lib/") && !path.get().endsWith("/eventstream-lib.jar"))
                .forEach((path, node) -> app.add(node.getAsset(), path));
        return app;
    }

    /** Writes {@code app} where a server process can deploy it, under its own name. */
    public static Path export(WebArchive app, String folder) throws IOException {
        Path war = Files.createDirectories(HubProcess.TARGET.resolve(folder)).resolve(app.getName());
        app.as(ZipExporter.class).exportTo(war.toFile(), true);
        return war;
    }
}
