package io.eventstream.adapter.metrics;

import io.eventstream.api.Refusal;
import io.eventstream.core.admission.Admission;
import io.eventstream.core.hub.Hub;
import io.eventstream.core.limits.PublishRate;
import io.eventstream.core.metrics.RefusedRequests;
import io.eventstream.core.publish.EventPublisher;
import io.eventstream.core.publish.Outbound;
import io.eventstream.core.stream.SseStreams;
import io.eventstream.core.stream.StreamEnd;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * Binds what the core counts to meters read at scrape time: gauges of what the node holds now, counters of what it
 * did since it started (the core's {@code LongAdder}s). The README's "Metrics" lists them.
 */
final class NodeMeters {

    /** The beans the meters read. */
    record Sources(Hub hub, SseStreams streams, Admission admission, EventPublisher publisher, Outbound topic,
                   RefusedRequests refused, PublishRate rate) {
    }

    private NodeMeters() {
    }

    static void bind(MeterRegistry registry, Sources from) {
        gauge(registry, "eventstream.connections", "Streams open on this node", from.admission(),
                admission -> Math.max(0, admission.count() - admission.customCount()), "kind", "channel");
        gauge(registry, "eventstream.connections", "Streams open on this node", from.admission(),
                Admission::customCount, "kind", "custom");
        gauge(registry, "eventstream.channels", "Channels with a subscriber on this node", from.hub(), Hub::channelCount);
        gauge(registry, "eventstream.history.events", "Events retained on this node for resumes", from.hub(), Hub::retained);
        gauge(registry, "eventstream.broker.up", "1 when this node can publish to and receive from the broker, else 0",
                from.topic(), topic -> topic.failure().isEmpty() ? 1 : 0);

        String published = "Events published: over HTTP or from Java on this node (confirmed by the broker), or"
                + " received from the broker by this node (topic)";
        counter(registry, "eventstream.events.published", published, from.publisher(), EventPublisher::publishedOverHttp, "via", "http");
        counter(registry, "eventstream.events.published", published, from.publisher(), EventPublisher::publishedFromJava, "via", "java");
        counter(registry, "eventstream.events.published", published, from.hub(), Hub::received, "via", "topic");
        counter(registry, "eventstream.events.delivered", "Event frames flushed to clients of this node", from.streams(),
                SseStreams::delivered);
        counter(registry, "eventstream.stream.resets", "stream-reset events sent to streams of this node", from.hub(), Hub::resets);
        counter(registry, "eventstream.resumes.waited", "Streams of this node that waited to be answered: resumes from an"
                + " event this node had not received yet, until it caught up with the topic", from.hub(), Hub::waitedResumes);
        for (StreamEnd why : StreamEnd.values()) {
            counter(registry, "eventstream.streams.ended", "Streams of this node that ended, by why", from.admission(),
                    admission -> admission.ended(why), "reason", why.label());
            if (why.dropped()) {
                counter(registry, "eventstream.clients.dropped", "Clients this node cut off or turned away, by why",
                        from.admission(), admission -> admission.ended(why), "reason", why.label());
            }
        }
        counter(registry, "eventstream.clients.dropped", "Clients this node cut off or turned away, by why",
                from.admission(), Admission::turnedAway, "reason", "limit");
        counter(registry, "eventstream.clients.dropped", "Clients this node cut off or turned away, by why",
                from.admission(), Admission::turnedAwayPerAddress, "reason", "ip-limit");
        counter(registry, "eventstream.events.refused", "Events of HTTP publishes refused whole for the publisher's rate",
                from.rate(), PublishRate::refusedEvents, "reason", "rate");
        for (Refusal refusal : Refusal.values()) {
            counter(registry, "eventstream.requests.refused", "HTTP requests this node answered with a JSON problem, by condition",
                    from.refused(), refused -> refused.refused(refusal), "condition", refusal.code());
        }
    }

    private static <T> void gauge(MeterRegistry registry, String name, String help, T source, ToDoubleFunction<T> value,
                                  String... tags) {
        Gauge.builder(name, source, value).description(help).tags(tags).strongReference(true).register(registry);
    }

    private static <T> void counter(MeterRegistry registry, String name, String help, T source, ToDoubleFunction<T> count,
                                    String... tags) {
        FunctionCounter.builder(name, source, count).description(help).tags(tags).register(registry);
    }
}
