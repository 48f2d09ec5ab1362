package io.eventstream.core.metrics;

import io.eventstream.api.Refusal;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** HTTP requests this node refused, by condition: counted by whoever answers the JSON problem. */
@ApplicationScoped
public class RefusedRequests {

    private final Map<Refusal, LongAdder> counts = new EnumMap<>(Refusal.class);

    /** Every condition, counted from zero. */
    public RefusedRequests() {
        for (Refusal refusal : Refusal.values()) {
            counts.put(refusal, new LongAdder());
        }
    }

    /** Counts one request refused with {@code refusal}. */
    public void count(Refusal refusal) {
        counts.get(refusal).increment();
    }

    /** Requests refused with {@code refusal} since the node started. */
    public long refused(Refusal refusal) {
        return counts.get(refusal).sum();
    }
}
