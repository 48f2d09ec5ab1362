package io.eventstream.adapter.jms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/** An Artemis broker inside the WAR, reachable only in-VM: one node, zero setup, nothing persisted. */
final class EmbeddedBroker {

    private static final Logger LOG = Logger.getLogger(EmbeddedBroker.class.getName());

    // JUL holds loggers weakly: keep the silenced audit loggers referenced or their level is lost.
    // Audit logging is off in Artemis's own distribution, and on Java 25 it throws when enabled.
    private static final Logger[] AUDIT_LOGGERS = {
        Logger.getLogger("org.apache.activemq.audit"),
        Logger.getLogger("org.apache.activemq.audit.base"),
        Logger.getLogger("org.apache.activemq.audit.message"),
        Logger.getLogger("org.apache.activemq.audit.resource"),
    };

    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    private Path dataDir;

    /** Starts the broker and returns the in-VM URL to connect to. */
    String start() throws Exception {
        for (Logger audit : AUDIT_LOGGERS) {
            audit.setLevel(Level.OFF);
        }
        // A random in-VM id, so two deployments in one JVM (or a redeploy) never share a broker.
        int serverId = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        dataDir = Files.createTempDirectory("eventstream-artemis-");
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("eventstream-" + serverId);
        config.setPersistenceEnabled(false);
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.setBrokerInstance(dataDir.toFile());
        config.setJournalDirectory(dataDir.resolve("journal").toString());
        config.setBindingsDirectory(dataDir.resolve("bindings").toString());
        config.setPagingDirectory(dataDir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dataDir.resolve("large-messages").toString());
        // Nothing is persisted, so native AIO brings nothing; asking for NIO skips Artemis's libaio probe,
        // a System.loadLibrary that Java 24+ warns about as restricted native access (Payara Micro 7 on Java 25).
        config.setJournalType(JournalType.NIO);
        config.addAcceptorConfiguration("in-vm", "vm://" + serverId);
        // As in Artemis's own broker.xml: without these, every subscriber queue logs two warnings.
        config.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of("DLQ"))
                .setExpiryAddress(SimpleString.of("ExpiryQueue")));
        server.setConfiguration(config);
        server.start();
        LOG.info(() -> "eventstream: embedded Artemis broker started (in-VM id " + serverId + ", single node)");
        return "vm://" + serverId;
    }

    void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "eventstream: embedded broker did not stop cleanly", e);
        }
        deleteDataDir();
    }

    private void deleteDataDir() {
        if (dataDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
