package io.eventstream.adapter.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeriodicSyncTest {

    @TempDir
    Path data;

    private Path journal;
    private final List<Path> synced = new CopyOnWriteArrayList<>();

    @BeforeEach
    void journalFiles() throws IOException {
        journal = Files.createDirectories(data.resolve("journal"));
        Files.writeString(journal.resolve("activemq-data-1.amq"), "records");
        Files.writeString(journal.resolve("activemq-data-2.amq"), "records");
        Files.createDirectories(data.resolve("bindings"));
        Files.writeString(data.resolve("bindings/activemq-bindings-1.bindings"), "queues");
    }

    // Really forces each file, and records it.
    private PeriodicSync recording() {
        return PeriodicSync.manual(data, path -> {
            synced.add(path);
            PeriodicSync.FORCE.sync(path);
        });
    }

    // Makes every file and directory look unchanged for an hour.
    private void ageEverything() throws IOException {
        FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        try (Stream<Path> paths = Files.walk(data)) {
            for (Path path : paths.toList()) {
                Files.setLastModifiedTime(path, hourAgo);
            }
        }
    }

    @Test
    void theFirstPassSyncsEveryFileAndDirectory() {
        PeriodicSync sync = recording();

        List<Path> passed = sync.syncChanged();

        assertEquals(Set.of(data, journal, data.resolve("bindings"), journal.resolve("activemq-data-1.amq"),
                journal.resolve("activemq-data-2.amq"), data.resolve("bindings/activemq-bindings-1.bindings")),
                new HashSet<>(passed));
        assertEquals(passed, synced);
        assertTrue(sync.failure().isEmpty());
    }

    @Test
    void laterPassesSyncOnlyWhatChangedAndTheDirectoryOfANewFile() throws IOException {
        PeriodicSync sync = recording();
        sync.syncChanged();
        ageEverything();
        synced.clear();

        Files.writeString(journal.resolve("activemq-data-1.amq"), "more records");
        Files.writeString(journal.resolve("activemq-data-3.amq"), "a new file");
        List<Path> passed = sync.syncChanged();

        assertEquals(Set.of(journal, journal.resolve("activemq-data-1.amq"), journal.resolve("activemq-data-3.amq")),
                new HashSet<>(passed));
        synced.clear();
        ageEverything();
        assertEquals(List.of(), sync.syncChanged(), "nothing changed since");
        assertEquals(List.of(), synced);
    }

    @Test
    void aFileTheBrokerDeletesDuringThePassIsNoFailure() throws IOException {
        Path deleted = journal.resolve("activemq-data-2.amq");
        PeriodicSync sync = PeriodicSync.manual(data, path -> {
            if (path.equals(deleted)) {
                Files.delete(path);
            }
            synced.add(path);
            PeriodicSync.FORCE.sync(path);
        });

        sync.syncChanged();

        assertTrue(sync.failure().isEmpty(), () -> sync.failure().get());
        assertTrue(synced.contains(journal.resolve("activemq-data-1.amq")), "the pass went on after the deleted file");
    }

    @Test
    void aFileThatCannotBeSyncedIsReportedAndTriedAgainUntilAPassSucceeds() throws IOException {
        Path failing = journal.resolve("activemq-data-1.amq");
        boolean[] diskFails = {true};
        PeriodicSync sync = PeriodicSync.manual(data, path -> {
            if (path.equals(failing) && diskFails[0]) {
                throw new IOException("Input/output error");
            }
            synced.add(path);
        });
        sync.syncChanged();
        String failure = sync.failure().orElseThrow();
        assertTrue(failure.contains(data.toAbsolutePath().toString()) && failure.contains("Input/output error")
                && failure.contains("eventstream.broker.data-dir"), failure);

        ageEverything(); // nothing changes meanwhile: the failed file is synced all the same
        diskFails[0] = false;
        synced.clear();
        sync.syncChanged();

        assertTrue(sync.failure().isEmpty());
        assertTrue(synced.contains(failing), () -> "synced: " + synced);
    }

    @Test
    void closingMakesALastPassForWhatTheBrokerWroteWhileStopping() throws IOException {
        PeriodicSync sync = recording();
        sync.syncChanged();
        ageEverything();
        synced.clear();

        Files.writeString(journal.resolve("activemq-data-2.amq"), "written while stopping");
        sync.close();

        assertEquals(List.of(journal.resolve("activemq-data-2.amq")), synced);
    }

    @Test
    void aStartedSyncPassesOnItsOwnThreadEveryInterval() throws Exception {
        Path written = journal.resolve("activemq-data-1.amq");
        CountDownLatch passes = new CountDownLatch(3); // the first pass syncs it, and two more after it changed again
        try (PeriodicSync sync = PeriodicSync.start(data, Duration.ofMillis(20), path -> {
            if (path.equals(written)) {
                synced.add(path);
                passes.countDown();
                Files.setLastModifiedTime(path, FileTime.from(Instant.now().plusSeconds(5))); // "changed" again
            }
        })) {
            assertTrue(passes.await(5, TimeUnit.SECONDS), () -> "passes that synced it: " + synced.size());
            assertTrue(sync.failure().isEmpty());
        }
    }
}
