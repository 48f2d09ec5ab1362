package io.eventstream.subscribe;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscribers of one channel on this node: hands each event's frame, encoded once, to every one of them.
 *
 * <p>It delivers synchronously on the caller's thread, which is what keeps events of several channels in
 * publish order on a connection that reads them all; streams only enqueue, so no client can slow the
 * broadcast. The streams that need a writer go to the pool in batches. A stream that closes leaves through
 * its close action.
 */
final class ChannelBroadcaster {

    // Streams handed to one writer task: one task per subscriber cost more than the write itself at 10,000.
    private static final int BATCH = 64;

    private final Set<ClientStream> streams = ConcurrentHashMap.newKeySet();
    // An array copy of the set, rebuilt on the next send after a change: walking an array is cheaper than
    // walking a hash set for each event, and subscribers change far less often than events go out.
    private volatile ClientStream[] snapshot = new ClientStream[0];
    private volatile boolean changed;

    void send(byte[] frame) {
        List<ClientStream> ready = new ArrayList<>(BATCH);
        for (ClientStream stream : snapshot()) {
            if (stream.offer(frame)) {
                ready.add(stream);
                if (ready.size() == BATCH) {
                    ClientStream.drainLater(ready);
                    ready = new ArrayList<>(BATCH);
                }
            }
        }
        if (!ready.isEmpty()) {
            ClientStream.drainLater(ready);
        }
    }

    private ClientStream[] snapshot() {
        if (changed) {
            changed = false; // before the copy: a change during the copy marks it again
            snapshot = streams.toArray(new ClientStream[0]);
        }
        return snapshot;
    }

    void register(ClientStream stream) {
        streams.add(stream);
        changed = true;
    }

    /** Removes a stream that left; returns true when the channel has no subscriber left. */
    boolean unregister(ClientStream stream) {
        streams.remove(stream);
        changed = true;
        return streams.isEmpty();
    }

    int size() {
        return streams.size();
    }
}
