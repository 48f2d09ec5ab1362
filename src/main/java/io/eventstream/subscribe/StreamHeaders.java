package io.eventstream.subscribe;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/** Adds the headers every event stream needs so that caches and proxies (nginx) pass each event on at once. */
@Provider
public class StreamHeaders implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        MediaType type = response.getMediaType();
        if (type != null && type.isCompatible(MediaType.SERVER_SENT_EVENTS_TYPE)) {
            response.getHeaders().putSingle("Cache-Control", "no-cache");
            response.getHeaders().putSingle("X-Accel-Buffering", "no");
        }
    }
}
