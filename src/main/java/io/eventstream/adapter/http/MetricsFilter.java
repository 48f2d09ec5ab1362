package io.eventstream.adapter.http;

import io.eventstream.api.EventStreamException;
import io.eventstream.api.Refusal;
import io.eventstream.core.access.BearerToken;
import io.eventstream.core.config.Settings;
import io.eventstream.core.metrics.MetricsExposition;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * {@code GET /metrics}: this node's metrics in Prometheus's text format, behind {@code eventstream.metrics.token} when
 * it is set ({@code 401} without it). It names no channel.
 */
public class MetricsFilter extends EndpointFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient MetricsExposition metrics;

    @Inject
    transient Settings settings;

    public MetricsFilter() {
        super("GET", "/metrics");
    }

    @Override
    protected void handle(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        requireNothingBelow(path);
        Optional<String> token = settings.metricsToken();
        if (token.isPresent() && !matches(token.get(), BearerToken.from(request.getHeader("Authorization")))) {
            throw new EventStreamException(Refusal.UNAUTHORIZED,
                    "send the metrics token as Authorization: Bearer ... (eventstream.metrics.token)");
        }
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(metrics.contentType());
        response.setHeader("Cache-Control", "no-cache");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    // In constant time: a token compared byte by byte with an early exit leaks its prefix through timing.
    private static boolean matches(String expected, Optional<String> presented) {
        return presented.isPresent() && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.get().getBytes(StandardCharsets.UTF_8));
    }
}
