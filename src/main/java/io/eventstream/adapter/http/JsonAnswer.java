package io.eventstream.adapter.http;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes a whole JSON response with its length: what every endpoint answers, problems included. */
final class JsonAnswer {

    static final String MEDIA_TYPE = "application/json";

    private JsonAnswer() {
    }

    static void write(HttpServletResponse response, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(MEDIA_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
