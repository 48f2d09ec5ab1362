package io.eventstream.adapter.health;

import io.eventstream.core.publish.Outbound;
import io.eventstream.core.stream.SseStreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready: the node is linked to the broker, so it can publish, and it has taken in the broker's event log, so it
 * resumes clients exactly; DOWN with the reason otherwise (as {@code GET /status} answers 503).
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    Outbound topic;

    @Inject
    SseStreams streams;

    @Override
    public HealthCheckResponse call() {
        // The link is reported up only once the node has caught up from the log (LinkKeeper), so one test covers both.
        HealthCheckResponseBuilder response = HealthCheckResponse.named("eventstream-broker")
                .withData("broker", topic.broker())
                .withData("connections", streams.count());
        topic.failure().ifPresentOrElse(reason -> response.down().withData("reason", reason), response::up);
        return response.build();
    }
}
