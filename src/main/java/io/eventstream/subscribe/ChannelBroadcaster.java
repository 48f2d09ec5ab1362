package io.eventstream.subscribe;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscribers of one channel on this node: hands each event's frame, encoded once, to every one of them.
 *
 * <p>It delivers synchronously on the caller's thread, which is what keeps events of several channels in
 * publish order on a connection that reads them all; streams only enqueue, so no client can slow the
 * broadcast. A stream that closes leaves through its close action.
 */
final class ChannelBroadcaster {

    private final Set<ClientStream> streams = ConcurrentHashMap.newKeySet();

    void send(byte[] frame) {
        for (ClientStream stream : streams) {
            stream.send(frame);
        }
    }

    void register(ClientStream stream) {
        streams.add(stream);
    }

    /** Removes a stream that left; returns true when the channel has no subscriber left. */
    boolean unregister(ClientStream stream) {
        streams.remove(stream);
        return streams.isEmpty();
    }

    int size() {
        return streams.size();
    }
}
