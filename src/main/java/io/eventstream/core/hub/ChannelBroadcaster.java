package io.eventstream.core.hub;

import io.eventstream.core.stream.SseStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscribers of one channel on this node: hands each event's frame, encoded once, to every one of them.
 *
 * <p>It delivers synchronously on the caller's thread, which is what keeps events of several channels in publish
 * order on a connection that reads them all; streams only enqueue, so no client can slow the broadcast. The
 * streams that need a writer go to the pool in batches.
 *
 * <p>Exactly once, and why: {@link #register} and {@link #send} are only called under the hub's lock, so a
 * stream registered before a send is in that send's snapshot (the lock orders the registration's write of
 * {@code changed} before the send's read), and one registered after it got the event in its replay instead.
 * {@link #unregister} runs outside the lock, when a stream closes: a send that still sees a stream that left
 * offers it a frame it refuses, which is harmless.
 */
final class ChannelBroadcaster {

    // Streams handed to one writer task: one task per subscriber cost more than the write itself at 10,000.
    private static final int BATCH = 64;

    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    // An array copy of the set, rebuilt on the next send after a change: walking an array is cheaper than walking a
    // hash set for each event, and subscribers change far less often than events go out. Written under the lock.
    private SseStream[] snapshot = new SseStream[0];
    private volatile boolean changed;

    /** Under the hub's lock. */
    void send(byte[] frame) {
        List<SseStream> ready = new ArrayList<>(BATCH);
        for (SseStream stream : snapshot()) {
            if (stream.offer(frame)) {
                ready.add(stream);
                if (ready.size() == BATCH) {
                    SseStream.drainLater(ready);
                    ready = new ArrayList<>(BATCH);
                }
            }
        }
        if (!ready.isEmpty()) {
            SseStream.drainLater(ready);
        }
    }

    private SseStream[] snapshot() {
        if (changed) {
            changed = false; // before the copy: a removal during the copy marks it again
            snapshot = streams.toArray(new SseStream[0]);
        }
        return snapshot;
    }

    /** Under the hub's lock. */
    void register(SseStream stream) {
        streams.add(stream);
        changed = true;
    }

    /** Removes a stream that left; returns true when the channel has no subscriber left. Any thread. */
    boolean unregister(SseStream stream) {
        streams.remove(stream);
        changed = true;
        return streams.isEmpty();
    }

    int size() {
        return streams.size();
    }
}
