package io.eventstream.adapter.health;

import io.eventstream.core.hub.Hub;
import io.eventstream.core.publish.Outbound;
import io.eventstream.core.stream.SseStreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready: the node is linked to the broker, so it can publish, and it has taken in the broker's event log and what was
 * published while it read it, so it resumes clients exactly; DOWN with the reason otherwise (as {@code GET /status}
 * answers 503).
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    Outbound topic;

    @Inject
    SseStreams streams;

    @Inject
    Hub hub;

    @Override
    public HealthCheckResponse call() {
        // The link is up once the node has read the log; it has caught up once it has also delivered what was
        // published meanwhile.
        HealthCheckResponseBuilder response = HealthCheckResponse.named("eventstream-broker")
                .withData("broker", topic.broker())
                .withData("connections", streams.count());
        topic.failure().or(hub::catchingUp).ifPresentOrElse(reason -> response.down().withData("reason", reason), response::up);
        return response.build();
    }
}
