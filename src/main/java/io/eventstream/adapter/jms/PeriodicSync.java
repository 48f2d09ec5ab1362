package io.eventstream.adapter.jms;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Syncs the embedded broker's files to disk every interval, for a broker that confirms a publish once its journal
 * record is written to the file but before the file is synced ({@code eventstream.broker.journal-sync=false}): a
 * killed process then loses nothing acknowledged, and a machine failure at most what was acknowledged in the last
 * interval. Redis's {@code appendfsync everysec} and NATS JetStream's {@code sync_interval} make the same trade.
 *
 * <p>It works because {@code fsync} writes back a file's changed pages whichever descriptor changed them: opening the
 * broker's journal files read-only and forcing them syncs what the broker wrote.
 */
final class PeriodicSync implements AutoCloseable {

    /** Forces one file or directory to disk. */
    interface FileSync {
        void sync(Path path) throws IOException;
    }

    private static final Logger LOG = Logger.getLogger(PeriodicSync.class.getName());
    static final FileSync FORCE = path -> {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    };
    // File times can lag the write that changed them by a clock tick: a pass also syncs what changed this long before
    // the previous pass began.
    private static final Duration TIME_SLACK = Duration.ofSeconds(1);
    // Windows cannot open a directory to sync it (and needs no directory sync for a new file's name to last).
    private static final boolean SYNCS_DIRECTORIES = !System.getProperty("os.name", "").startsWith("Windows");

    private final Path dataDir;
    private final FileSync fileSync;
    private final ScheduledExecutorService timer;
    // Written and read only by the pass that runs (one at a time: the timer's one thread, then close after it ended).
    private Instant previousPass = Instant.EPOCH;
    private volatile String failure; // why the last pass could not sync everything; null when it did

    private PeriodicSync(Path dataDir, FileSync fileSync, ScheduledExecutorService timer) {
        this.dataDir = dataDir;
        this.fileSync = fileSync;
        this.timer = timer;
    }

    /** Syncs the files under {@code dataDir} every {@code interval}, on a thread of its own, until closed. */
    static PeriodicSync start(Path dataDir, Duration interval) {
        return start(dataDir, interval, FORCE);
    }

    /** As {@link #start(Path, Duration)}, syncing each file through {@code fileSync}: for tests. */
    static PeriodicSync start(Path dataDir, Duration interval, FileSync fileSync) {
        // A plain daemon thread: it runs no application code and needs neither CDI nor JNDI, and the broker it
        // follows starts before the container's managed threads can be looked up.
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "eventstream-journal-sync");
            thread.setDaemon(true);
            return thread;
        });
        PeriodicSync sync = new PeriodicSync(dataDir, fileSync, timer);
        long millis = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(sync::syncChanged, millis, millis, TimeUnit.MILLISECONDS);
        return sync;
    }

    /** One that syncs only when asked ({@link #syncChanged}), through {@code fileSync}: for tests. */
    static PeriodicSync manual(Path dataDir, FileSync fileSync) {
        return new PeriodicSync(dataDir, fileSync, null);
    }

    /**
     * Syncs every file and directory under the data directory that changed since shortly before the previous pass
     * began, and returns them. A file the broker deleted meanwhile needs no sync; any other error is kept as
     * {@link #failure} and logged, and the next pass tries every file again.
     */
    List<Path> syncChanged() {
        Instant started = Instant.now();
        FileTime since = FileTime.from(previousPass.minus(TIME_SLACK));
        List<Path> changed;
        try {
            changed = changedSince(since);
            for (Path path : changed) {
                try {
                    fileSync.sync(path);
                } catch (NoSuchFileException gone) {
                    // deleted by the broker after the walk saw it: nothing of it left to keep
                }
            }
        } catch (IOException | SecurityException e) {
            String reason = "the embedded broker's journal in " + dataDir.toAbsolutePath() + " cannot be synced to disk ("
                    + e + "): acknowledged events would not survive a machine failure. Check the disk and the data"
                    + " directory's permissions (eventstream.broker.data-dir)";
            if (failure == null) {
                LOG.log(Level.SEVERE, "eventstream: unhealthy: " + reason, e);
            }
            failure = reason;
            return List.of();
        }
        if (failure != null) {
            LOG.info(() -> "eventstream: the embedded broker's journal is synced to disk again");
            failure = null;
        }
        previousPass = started;
        return changed;
    }

    private List<Path> changedSince(FileTime since) throws IOException {
        List<Path> changed = new ArrayList<>();
        Files.walkFileTree(dataDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                // A directory changed when a file in it came or went: sync it, so the new file's name is on disk too.
                if (e == null && SYNCS_DIRECTORIES && changedSince(dir, since)) {
                    changed.add(dir);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile() && attributes.lastModifiedTime().compareTo(since) >= 0) {
                    changed.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // deleted by the broker during the walk
                }
                throw e;
            }
        });
        return changed;
    }

    private static boolean changedSince(Path path, FileTime since) throws IOException {
        try {
            return Files.getLastModifiedTime(path).compareTo(since) >= 0;
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    /** Why the last pass could not sync everything, if it could not. */
    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Stops the timer and makes one last pass: call it once the broker has stopped writing. */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        syncChanged();
    }
}
