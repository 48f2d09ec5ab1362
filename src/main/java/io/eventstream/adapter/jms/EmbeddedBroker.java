package io.eventstream.adapter.jms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.Optional;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.utils.VersionLoader;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * An Artemis broker inside the WAR, reachable only in-VM: one node, zero setup. Persistent, with its journal (and so
 * the event log) in a data directory that survives restarts; or, with history in memory only, nothing persisted.
 */
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

    // How long the journal gathers records before it writes them, when it does not sync each write (AIO's default).
    static final int UNSYNCED_FLUSH_NANOS = 500_000;
    // How long a start waits for the journal's lock, held by another broker on the same data directory.
    private static final long LOCK_WAIT_MILLIS = 5_000;

    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    private Path temporaryDir; // deleted on stop
    private volatile PeriodicSync periodicSync; // null: nothing persisted, or every confirmation waits for a sync

    /**
     * The data directory: {@code configured}, or where the server keeps its data (WildFly's {@code jboss.server.data.dir}),
     * or {@code ~/.eventstream/data}.
     */
    static Path dataDir(Optional<String> configured) {
        return configured.map(Path::of).orElseGet(() -> Optional.ofNullable(System.getProperty("jboss.server.data.dir"))
                .map(dir -> Path.of(dir, "eventstream"))
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".eventstream", "data")));
    }

    /** Starts a broker that persists nothing and returns the in-VM URL to connect to. */
    String start() throws Exception {
        temporaryDir = Files.createTempDirectory("eventstream-artemis-");
        return start(temporaryDir, false, false);
    }

    /**
     * Starts a persistent broker with its journal in {@code dataDir}, confirming sends once they are synced to disk
     * ({@code sync}) or once they are written to the file, which is then synced every {@code syncInterval} (zero:
     * left to the operating system), and returns the in-VM URL to connect to. The event log found there is resized to
     * the configured size when that changed: this node owns it.
     */
    String startPersistent(Path dataDir, boolean sync, Duration syncInterval, EventLog eventLog) throws Exception {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException | SecurityException e) {
            throw new IllegalStateException("cannot create the embedded broker's data directory " + dataDir.toAbsolutePath()
                    + " (" + e + "): set eventstream.broker.data-dir to a writable directory of this node's own", e);
        }
        if (!Files.isWritable(dataDir)) {
            throw new IllegalStateException("the embedded broker's data directory " + dataDir.toAbsolutePath()
                    + " is not writable: set eventstream.broker.data-dir to a writable directory of this node's own");
        }
        String url = start(dataDir, true, sync);
        if (!sync && !syncInterval.isZero()) {
            periodicSync = PeriodicSync.start(dataDir, syncInterval);
        }
        Queue log = server.getActiveMQServer().locateQueue(eventLog.queueName());
        if (log != null && log.getRingSize() != eventLog.size()) {
            long was = log.getRingSize();
            server.getActiveMQServer().updateQueue(QueueConfiguration.of(log.getName()).setRingSize(eventLog.size()), false);
            LOG.info(() -> "eventstream: the event log " + eventLog.queueName() + " now keeps " + eventLog.size()
                    + " events (was " + was + ")");
        }
        if (log != null && !EventMessage.NOT_PRESENCE.equals(log.getFilter() == null ? null : String.valueOf(log.getFilter().getFilterString()))) {
            // A log made by a version without presence keeps every message: presence reports would push events out.
            server.getActiveMQServer().updateQueue(QueueConfiguration.of(log.getName()).setFilterString(EventMessage.NOT_PRESENCE), false);
            LOG.info(() -> "eventstream: the event log " + eventLog.queueName() + " now keeps presence reports out");
        }
        return url;
    }

    private String start(Path dataDir, boolean persistent, boolean sync) throws Exception {
        for (Logger audit : AUDIT_LOGGERS) {
            audit.setLevel(Level.OFF);
        }
        // A random in-VM id, so two deployments in one JVM (or a redeploy) never share a broker.
        int serverId = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("eventstream-" + serverId);
        config.setPersistenceEnabled(persistent);
        // A publish is confirmed once its journal record is written to the file, and (sync) the file synced to disk.
        // Never setJournalSyncNonTransactional(false): the broker then confirms before the record is written at all,
        // and a killed process loses confirmed events (DurableLogIT caught it).
        config.setJournalDatasync(sync);
        if (!sync) {
            // The journal gathers records in a timed buffer, written at once when it flushes; a publish is confirmed,
            // and its event delivered, only after that write. Artemis's NIO default (1/300 s) spaces fsyncs for a
            // disk; without sync a flush is a plain write. At 1,000 HTTP publishes/s (bench/, 2026-12-01) the
            // default gave a latency p50 of 5.1 ms, this 0.67-0.69 ms, for about 16 % more CPU per publish (more
            // flushes, each with its own write and wake-ups).
            config.setJournalBufferTimeout_NIO(UNSYNCED_FLUSH_NANOS);
        }
        // A second broker on the same directory would otherwise wait for the lock for ever, and the deployment with it.
        config.setJournalLockAcquisitionTimeout(LOCK_WAIT_MILLIS);
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.setBrokerInstance(dataDir.toFile());
        config.setJournalDirectory(dataDir.resolve("journal").toString());
        config.setBindingsDirectory(dataDir.resolve("bindings").toString());
        config.setPagingDirectory(dataDir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dataDir.resolve("large-messages").toString());
        // NIO, not native AIO: it works wherever Java does, and skips Artemis's libaio probe, a System.loadLibrary that
        // Java 24+ warns about as restricted native access (Payara Micro 7 on Java 25). Concurrent sends still share
        // each journal sync (the journal's timed buffer).
        config.setJournalType(JournalType.NIO);
        config.addAcceptorConfiguration("in-vm", "vm://" + serverId);
        // As in Artemis's own broker.xml: without these, every subscriber queue logs two warnings.
        config.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of("DLQ"))
                .setExpiryAddress(SimpleString.of("ExpiryQueue")));
        server.setConfiguration(config);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("the embedded broker cannot start on " + dataDir.toAbsolutePath() + ": "
                    + LinkKeeper.describe(e) + ". Its data directory (eventstream.broker.data-dir) must be writable, used by"
                    + " this node only, and hold a journal of Artemis " + VersionLoader.getVersion().getFullVersion() + " or older; move it away to start afresh", e);
        }
        if (!server.getActiveMQServer().isActive()) {
            throw new IllegalStateException("the embedded broker did not become active on " + dataDir.toAbsolutePath()
                    + "; the log above says why (eventstream.broker.data-dir must be writable and used by this node only)");
        }
        LOG.info(() -> "eventstream: embedded Artemis broker started (in-VM id " + serverId + ", single node, "
                + (persistent ? "event log in " + dataDir.toAbsolutePath() : "nothing persisted") + ")");
        return "vm://" + serverId;
    }

    /** The running server, for tests that act as the broker does when a client's connection dies. */
    org.apache.activemq.artemis.core.server.ActiveMQServer server() {
        return server.getActiveMQServer();
    }

    /** Why the journal cannot be synced to disk, if it cannot. */
    Optional<String> failure() {
        PeriodicSync current = periodicSync;
        return current != null ? current.failure() : Optional.empty();
    }

    void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "eventstream: embedded broker did not stop cleanly", e);
        }
        PeriodicSync current = periodicSync;
        if (current != null) {
            current.close(); // after the broker: its last writes are synced too
        }
        deleteTemporaryDir();
    }

    private void deleteTemporaryDir() {
        if (temporaryDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(temporaryDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
