package io.eventstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * What bench/run says of the soak's nodes and broker, in the file {@code nodes} of the signal directory (one JSON
 * line, written aside and renamed): each node's state ({@code up}; {@code draining}: publishers leave it, it is about
 * to stop; {@code down}; {@code starting}), its pid, its start number (generation) and when it came up; the broker's
 * pid and state. {@code epoch} grows with every change.
 */
record NodeBoard(long epoch, String[] states, int[] pids, int[] generations, long[] upAtMillis, int brokerPid,
                 String broker) {

    static final NodeBoard NONE = new NodeBoard(-1, new String[0], new int[0], new int[0], new long[0], 0, "down");

    /** The board as the file holds it now; {@link #NONE} while there is none. */
    static NodeBoard read(Path sync) throws IOException {
        Map<String, String> f;
        try {
            f = JsonLine.parse(Files.readString(sync.resolve("nodes"), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return NONE;
        }
        return new NodeBoard(Long.parseLong(f.get("epoch")), f.get("state").split(","), ints(f.get("pids")),
                ints(f.get("gens")), Arrays.stream(f.get("up_at").split(",")).mapToLong(Long::parseLong).toArray(),
                Integer.parseInt(f.get("broker_pid")), f.get("broker"));
    }

    boolean up(int node) {
        return node < states.length && states[node].equals("up");
    }

    /** {@code preferred} when it is up, else the first node that is; -1 when none is. */
    int pick(int preferred) {
        if (up(preferred)) {
            return preferred;
        }
        for (int n = 0; n < states.length; n++) {
            if (up(n)) {
                return n;
            }
        }
        return -1;
    }

    private static int[] ints(String list) {
        return Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
