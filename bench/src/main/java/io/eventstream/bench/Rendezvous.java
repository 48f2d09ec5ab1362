package io.eventstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Signals between the cluster scenario's processes: one small file per signal in a directory they share, holding a
 * JSON line. A file is written aside and renamed into place, so a reader never sees half of one.
 */
final class Rendezvous {

    private static final long POLL_MILLIS = 50;

    private final Path dir;

    Rendezvous(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    void put(String name, Map<String, ?> fields) throws IOException {
        Path aside = dir.resolve(name + ".tmp");
        Files.writeString(aside, JsonLine.format(fields), StandardCharsets.UTF_8);
        Files.move(aside, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The signal's fields, waiting for it up to {@code timeoutMillis}; null when it did not come. */
    Map<String, String> await(String name, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        Path file = dir.resolve(name);
        while (!Files.exists(file)) {
            if (System.nanoTime() >= deadline) {
                return null;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return JsonLine.parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Waits up to {@code timeoutMillis} in all for the signals {@code prefix + 0} to {@code prefix + (count - 1)}
     * and returns those that came, in order: a process that died is missing, not waited for forever.
     */
    List<Map<String, String>> awaitAll(String prefix, int count, long timeoutMillis)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            Map<String, String> fields = await(prefix + i, left);
            if (fields != null) {
                out.add(fields);
            }
        }
        return out;
    }
}
