package io.eventstream.adapter.metrics;

import io.eventstream.core.admission.Admission;
import io.eventstream.core.hub.Hub;
import io.eventstream.core.limits.PublishRate;
import io.eventstream.core.metrics.MetricsExposition;
import io.eventstream.core.metrics.RefusedRequests;
import io.eventstream.core.metrics.Timings;
import io.eventstream.core.publish.EventPublisher;
import io.eventstream.core.publish.Outbound;
import io.eventstream.core.stream.SseStreams;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** The node's Prometheus registry, holding every meter of the hub, and its text exposition. */
@ApplicationScoped
public class PrometheusScrape implements MetricsExposition {

    /** Prometheus's text exposition format, which every Prometheus version reads. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Inject
    Hub hub;

    @Inject
    SseStreams streams;

    @Inject
    Admission admission;

    @Inject
    EventPublisher publisher;

    @Inject
    Outbound topic;

    @Inject
    RefusedRequests refused;

    @Inject
    PublishRate rate;

    private Timings timings;

    @PostConstruct
    void bind() {
        NodeMeters.bind(registry, new NodeMeters.Sources(hub, streams, admission, publisher, topic, refused, rate));
        timings = new MicrometerTimings(registry);
    }

    /** The timings the core records (publisher, hub), on this registry. */
    @Produces
    @ApplicationScoped
    Timings timings() {
        return timings;
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public String scrape() {
        return registry.scrape(CONTENT_TYPE);
    }
}
