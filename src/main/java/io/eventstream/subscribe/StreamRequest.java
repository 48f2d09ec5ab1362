package io.eventstream.subscribe;

import io.eventstream.access.AccessPolicy;
import io.eventstream.access.Reader;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;

/** What a subscribe request says besides its channels: where it resumes from, and who is asking. */
public class StreamRequest {

    @HeaderParam("Last-Event-ID")
    String lastEventIdHeader;

    @QueryParam("lastEventId")
    String lastEventIdParameter;

    @HeaderParam(HttpHeaders.AUTHORIZATION)
    String authorization;

    @CookieParam("eventstream-token")
    String tokenCookie;

    @QueryParam("token")
    String tokenParameter;

    @Context
    SecurityContext security;

    /** Who is asking: see {@link AccessPolicy#identify}; {@code 401} for a token that does not verify. */
    public Reader reader(AccessPolicy access) {
        return access.identify(security.getUserPrincipal(), authorization, tokenCookie, tokenParameter);
    }

    /**
     * The last event id, or null. The header wins over the query parameter: a browser reconnecting on its own
     * reuses the URL of the first connection but sends the newest id in the header.
     */
    public String lastEventId() {
        String id = lastEventIdHeader != null && !lastEventIdHeader.isEmpty() ? lastEventIdHeader : lastEventIdParameter;
        return id == null || id.isEmpty() ? null : id;
    }
}
