package io.eventstream.it.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;

/** Put into a broken variant of the application only: a servlet mapped below the hub's path, which must fail it. */
@WebServlet("/eventstream/admin")
public class CollidingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
}
