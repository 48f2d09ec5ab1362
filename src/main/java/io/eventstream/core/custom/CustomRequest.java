package io.eventstream.core.custom;

import io.eventstream.core.access.Caller;
import java.util.List;
import java.util.Map;

/**
 * What a request for a custom stream says, as its source may read it.
 *
 * @param who         who is asking
 * @param parameters  the query's parameters, name to values in order
 * @param lastEventId the {@code Last-Event-ID} the client sent, or null
 */
public record CustomRequest(Caller who, Map<String, List<String>> parameters, String lastEventId) {
}
