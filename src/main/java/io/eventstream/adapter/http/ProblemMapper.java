package io.eventstream.adapter.http;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Turns every exception that reaches JAX-RS into the contract's JSON problem (see {@link Problem#of(Throwable)}). */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    @Override
    public Response toResponse(Throwable failure) {
        return Problem.of(failure).toResponse();
    }
}
