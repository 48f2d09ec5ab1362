package io.eventstream.it;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The archive every integration test deploys: the WAR the build produced, plus the test's publishing probe. */
final class Deployments {

    private Deployments() {
    }

    static WebArchive eventstream() {
        File war = new File(System.getProperty("eventstream.war", "target/eventstream.war"));
        return ShrinkWrap.createFromZipFile(WebArchive.class, war)
                .addClasses(SenderProbe.class, SenderProbe.Greeting.class);
    }
}
