package io.eventstream.adapter.http;

import io.eventstream.api.EventStreamException;
import io.eventstream.api.Refusal;
import io.eventstream.core.config.Settings;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /admin/login} (form field {@code token}) and {@code POST /admin/logout} while {@code eventstream.admin.token}
 * is set: the login sets the admin page's cookie ({@link AdminCookie}) and sends the browser back to the page, a wrong
 * token is {@code 401}; the logout clears the cookie. With the token unset it serves nothing.
 */
public class AdminLoginFilter extends EndpointFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient Settings settings;

    public AdminLoginFilter() {
        super("POST", Endpoints.ADMIN);
    }

    @Override
    protected boolean serves(String path) {
        return settings.adminToken().isPresent();
    }

    @Override
    protected boolean crossOrigin() {
        return false;
    }

    @Override
    protected void handle(String path, HttpServletRequest request, HttpServletResponse response) {
        String token = settings.adminToken().orElseThrow();
        String page = request.getContextPath() + EndpointInstaller.root(getFilterConfig()) + Endpoints.ADMIN;
        boolean secure = request.isSecure();
        if (path.equals("/login")) {
            if (!AdminCookie.tokenMatches(token, request.getParameter("token"))) {
                throw new EventStreamException(Refusal.UNAUTHORIZED, "wrong admin token: log in with the value of"
                        + " eventstream.admin.token");
            }
            response.addHeader("Set-Cookie", AdminCookie.set(AdminCookie.value(token), page, secure));
        } else if (path.equals("/logout")) {
            response.addHeader("Set-Cookie", AdminCookie.cleared(page, secure));
        } else {
            throw new EventStreamException(Refusal.NOT_FOUND, "no such admin endpoint: POST admin/login or admin/logout");
        }
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", page + "/");
        response.setHeader("Cache-Control", "no-store");
    }
}
