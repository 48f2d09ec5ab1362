package io.eventstream.adapter.http;

import io.eventstream.api.Refusal;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Logger;

/**
 * The error page for what the container refuses before the hub sees it (an unparsable header, an unknown path,
 * say): the same JSON problem body as every other refusal, instead of the server's HTML page. The standalone WAR's
 * {@code web.xml} maps it; in an application that uses the library, the application's own error pages stay.
 */
public class ErrorPageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ErrorPageServlet.class.getName());

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value ? value : 500;
        LOG.info(() -> "eventstream: the container refused " + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)
                + " with " + status + " before it reached the application");
        new Problem(Refusal.of(status), status >= 500 ? "internal error; the server log has the details"
                : "the request is malformed (" + status + ")").writeTo(response);
    }
}
