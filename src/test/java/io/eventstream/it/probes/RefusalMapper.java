package io.eventstream.it.probes;

import io.eventstream.api.EventStreamException;
import jakarta.json.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The probes' application answers an {@code EventStreamException} as the hub's endpoints do (its status and
 * {@code {"condition":..,"text":..}}), as an application that uses the library may choose to: the library adds no
 * provider to an application's JAX-RS.
 */
@Provider
public class RefusalMapper implements ExceptionMapper<EventStreamException> {

    @Override
    public Response toResponse(EventStreamException refused) {
        return Response.status(refused.refusal().status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Json.createObjectBuilder().add("condition", refused.refusal().code())
                        .add("text", refused.getMessage()).build().toString())
                .build();
    }
}
