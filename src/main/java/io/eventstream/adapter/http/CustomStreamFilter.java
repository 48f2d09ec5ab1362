package io.eventstream.adapter.http;

import io.eventstream.core.access.AccessPolicy;
import io.eventstream.core.custom.CustomRequest;
import io.eventstream.core.custom.CustomStreams;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /streams/{name}}: the custom stream of the {@code StreamSource} bean named {@code name}. */
public class CustomStreamFilter extends EndpointFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient CustomStreams customStreams;

    @Inject
    transient AccessPolicy access;

    @Inject
    transient ClientAddresses addresses;

    public CustomStreamFilter() {
        super("GET", "/streams");
    }

    @Override
    protected void handle(String path, HttpServletRequest request, HttpServletResponse response) {
        StreamRequest stream = StreamRequest.of(request);
        CustomRequest custom = new CustomRequest(stream.identify(access).from(addresses.of(request)), stream.parameters(),
                stream.lastEventId());
        customStreams.open(path.isEmpty() ? "" : path.substring(1), custom, NonBlockingResponse.opener(request, response));
    }
}
