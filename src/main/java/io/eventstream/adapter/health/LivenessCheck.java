package io.eventstream.adapter.health;

import io.eventstream.core.stream.SseStreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the node's own threads make progress: the writers finish their tasks and the keep-alive task runs. A
 * broker outage is not a liveness failure (the node reconnects by itself; restarting it would only drop its
 * clients), so it shows in readiness only.
 */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    // Long enough that a busy node is never called dead: a writer task writes one batch of one stream.
    private static final Duration STUCK_AFTER = Duration.ofSeconds(60);

    @Inject
    SseStreams streams;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("eventstream-threads")
                .withData("writerThreads", streams.writerThreads());
        streams.stuck(STUCK_AFTER).ifPresentOrElse(reason -> response.down().withData("reason", reason), response::up);
        return response.build();
    }
}
