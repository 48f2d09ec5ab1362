package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.HeadlessChromium;
import io.eventstream.it.support.Hub;
import io.eventstream.it.support.HubProcess;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.SseEvent;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The admin page on a Payara Micro node with {@code eventstream.admin.token} set: its token, cookie and JSON over plain
 * HTTP, and the page itself in real headless Chromium, whose numbers move as the test subscribes and publishes.
 *
 * <p>Its own node, as {@code MetricsIT}'s: the admin page is off on the shared Arquillian node (no token there), whose
 * configuration is the same for every test class. The browser part is skipped when Chromium is not installed, except
 * in CI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminPageIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration PAGE_WAIT = Duration.ofSeconds(30);
    private static final String ADMIN_TOKEN = "admin-secret-for-the-admin-page-it";
    private static final String CHANNEL = "admin-busy";
    private static final String OTHER_ORIGIN = "http://other.example";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    @AutoClose // after the last test; JUnit skips it when the start failed
    private HubProcess server;
    @AutoClose
    private HubProcess serverWithoutToken;
    private Hub hub;

    @BeforeAll
    void start() throws Exception {
        Path java = Path.of(System.getProperty("java.home"));
        Path micro = Path.of(System.getProperty("payara.microJar", "target/payara-micro.jar"));
        // Both start at once; the one without the token only shows that the page is off there.
        server = HubProcess.payaraMicro("admin", java, micro, Map.of(
                "eventstream.publish.token", Hub.TOKEN,
                "eventstream.admin.token", ADMIN_TOKEN,
                "eventstream.cors.origins", OTHER_ORIGIN,
                "eventstream.keepalive", "PT1S"));
        serverWithoutToken = HubProcess.payaraMicro("admin-off", java, micro, Map.of());
        hub = new Hub(server.awaitHub(Duration.ofSeconds(240)).base());
        serverWithoutToken.awaitHub(Duration.ofSeconds(240));
    }

    @Test
    @Order(0)
    void withoutTheTokenEveryPathUnderAdminIsUnknown() throws Exception {
        Hub off = new Hub(serverWithoutToken.base());
        for (String path : List.of("admin", "admin/", "admin/index.html", "admin/admin.js", "admin/stream",
                "admin/channels/news", "admin/nothing")) {
            HttpResponse<String> answer = off.get(path);
            assertEquals(404, answer.statusCode(), path + ": " + answer.body());
            assertEquals("not-found", Hub.json(answer.body()).getString("condition"), path);
        }
        for (String path : List.of("admin/login", "admin/logout")) {
            HttpResponse<String> answer = off.post(path, null, "application/x-www-form-urlencoded", "token=x");
            assertEquals(404, answer.statusCode(), path + ": " + answer.body());
        }
        assertTrue(serverWithoutToken.log().contains("(admin page off: eventstream.admin.token is unset)"),
                "the start-up line says the page is off");
        assertFalse(server.log().contains("admin page off"), "and only there");
    }

    private HttpResponse<String> get(String path, String header, String value) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(hub.uri(path)).timeout(Duration.ofSeconds(30)).GET();
        if (header != null) {
            request.header(header, value);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> login(String token) throws IOException, InterruptedException {
        return hub.post("admin/login", null, "application/x-www-form-urlencoded", "token=" + token);
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertEquals(401, response.statusCode(), response.body());
        assertEquals("unauthorized", Hub.json(response.body()).getString("condition"), response.body());
    }

    @Test
    @Order(1)
    void nothingUnderAdminAnswersWithoutTheTokenAndTheLoginCookieIsHttpOnlyAndNotTheToken() throws Exception {
        hub.publishData(CHANNEL + "-http", "{\"secret\":\"only for admins\"}");

        HttpResponse<String> form = get("admin/", null, null);
        assertEquals(200, form.statusCode());
        assertTrue(form.body().contains("id=\"login\""), "the login form: " + form.body());
        assertFalse(form.body().contains(CHANNEL), "the login form names no channel");
        assertEquals(303, get("admin", null, null).statusCode(), "the page is read as a folder: admin/");

        assertUnauthorized(login("wrong"));
        assertUnauthorized(login(""));
        assertUnauthorized(get("admin/channels/" + CHANNEL + "-http", null, null));
        assertUnauthorized(get("admin/channels/" + CHANNEL + "-http", "Authorization", "Bearer wrong"));
        assertUnauthorized(get("admin/channels/" + CHANNEL + "-http", "Cookie", "eventstream-admin=" + ADMIN_TOKEN));
        try (SseClient stream = SseClient.open(hub.uri("admin/stream"))) {
            assertEquals(401, stream.status());
            assertEquals("unauthorized", Hub.json(stream.errorBody()).getString("condition"));
        }

        HttpResponse<String> loggedIn = login(ADMIN_TOKEN);
        assertEquals(303, loggedIn.statusCode(), loggedIn.body());
        assertEquals("/eventstream/admin/", loggedIn.headers().firstValue("Location").orElse(""));
        String setCookie = loggedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.startsWith("eventstream-admin="), setCookie);
        for (String attribute : List.of("; HttpOnly", "; SameSite=Strict", "; Path=/eventstream/admin")) {
            assertTrue(setCookie.contains(attribute), setCookie);
        }
        assertFalse(setCookie.contains("Secure"), "plain HTTP: no Secure attribute, " + setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertFalse(cookie.contains(ADMIN_TOKEN), "the cookie holds a signature, not the token");

        HttpResponse<String> page = get("admin/", "Cookie", cookie);
        assertTrue(page.body().contains("id=\"nodes\""), "with the cookie, the page itself: " + page.body());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));

        for (String[] credentials : new String[][] {{"Cookie", cookie}, {"Authorization", "Bearer " + ADMIN_TOKEN}}) {
            HttpResponse<String> channel = get("admin/channels/" + CHANNEL + "-http", credentials[0], credentials[1]);
            assertEquals(200, channel.statusCode(), channel.body());
            JsonObject body = Hub.json(channel.body());
            assertEquals(CHANNEL + "-http", body.getString("channel"));
            assertEquals(0, body.getInt("subscribers"));
            assertEquals("only for admins", body.getJsonArray("events").getJsonObject(0).getJsonObject("data").getString("secret"));
        }
        // No other origin's script reads it, even one allowed cross-origin for the hub's streams.
        HttpResponse<String> crossOrigin = http.send(HttpRequest.newBuilder(hub.uri("admin/channels/" + CHANNEL + "-http"))
                .header("Origin", OTHER_ORIGIN).header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, crossOrigin.statusCode());
        assertTrue(crossOrigin.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), crossOrigin.headers().toString());
        HttpResponse<String> status = get("status", "Origin", OTHER_ORIGIN);
        assertEquals(OTHER_ORIGIN, status.headers().firstValue("Access-Control-Allow-Origin").orElse(""),
                "the origin is allowed elsewhere");

        HttpResponse<String> badName = get("admin/channels/" + CHANNEL + "/", "Authorization", "Bearer " + ADMIN_TOKEN);
        assertEquals(400, badName.statusCode(), badName.body());
        assertEquals(404, get("admin/nothing", "Authorization", "Bearer " + ADMIN_TOKEN).statusCode());
        assertEquals(404, hub.post("admin/stream", null, "text/plain", "").statusCode(), "POST is for login and logout");
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(hub.uri("admin/")).timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, put.statusCode(), put.body());
        assertEquals("GET, POST", put.headers().firstValue("Allow").orElse(""));

        try (SseClient stream = SseClient.open(hub.uri("admin/stream"), Map.of("Cookie", cookie))) {
            assertEquals(200, stream.status(), stream.errorBody());
            assertEquals("stream-open", stream.next(WAIT).event());
            SseEvent first = stream.next(WAIT);
            assertEquals("cluster", first.event());
            JsonArray nodes = Hub.json(first.data()).getJsonArray("nodes");
            assertEquals(1, nodes.size(), first.data());
            assertTrue(nodes.getJsonObject(0).getBoolean("self"));
            // A node is up once its own announcement came back over the topic: within a second or two of its start.
            for (long deadline = System.nanoTime() + WAIT.toNanos(); !"up".equals(nodes.getJsonObject(0).getString("state")); ) {
                assertTrue(System.nanoTime() < deadline, "the node never up: " + first.data());
                first = stream.next(WAIT);
                nodes = Hub.json(first.data()).getJsonArray("nodes");
            }
            // One a second: two periods between the first and the third of the next ticks (one tick may be late and the
            // next catch up, as the task runs at a fixed rate; the span stays two periods).
            List<Long> at = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                SseEvent tick = stream.next(WAIT);
                assertEquals("cluster", tick.event());
                at.add(Hub.json(tick.data()).getJsonNumber("at").longValue());
            }
            long span = at.get(2) - at.get(0);
            assertTrue(span >= 1500 && span <= 3500, "two periods of a second between snapshots: " + at);
        }

        HttpResponse<String> loggedOut = hub.post("admin/logout", null, "application/x-www-form-urlencoded", "");
        assertEquals(303, loggedOut.statusCode());
        assertTrue(loggedOut.headers().firstValue("Set-Cookie").orElse("").contains("Max-Age=0"));
    }

    @Test
    @Order(2)
    void thePageShowsTheNodeAndItsNumbersMoveAsClientsSubscribeAndEventsArePublished() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver browser = chromium.driver;
            browser.manage().window().setSize(new Dimension(1280, 1100));
            browser.get(hub.uri("admin/").toString());

            // A wrong token: the form says so and stays.
            browser.findElement(By.id("token")).sendKeys("not-the-token");
            browser.findElement(By.cssSelector("#login button[type=submit]")).click();
            WebElement error = browser.findElement(By.id("login-error"));
            chromium.await(error::isDisplayed, "the login form to show the refusal", PAGE_WAIT, browser::getPageSource);
            assertTrue(error.getText().contains("eventstream.admin.token"), error.getText());

            browser.findElement(By.id("token")).clear();
            browser.findElement(By.id("token")).sendKeys(ADMIN_TOKEN);
            browser.findElement(By.cssSelector("#login button[type=submit]")).click();
            Page page = new Page(chromium, browser);
            page.await(() -> !browser.findElements(By.id("nodes")).isEmpty() && "live".equals(page.text("feed"))
                    && page.nodeRows().size() == 1 && page.nodeRows().get(0).get(1).equals("up"),
                    "the logged-in page with the live feed and one node, up");
            assertTrue(page.nodeRows().get(0).get(0).endsWith("(this node)"), page.nodeRows().toString());
            assertEquals("", ((JavascriptExecutor) browser).executeScript("return document.cookie;"),
                    "the login cookie is HttpOnly: the page's scripts cannot read it");

            // Only the page's own feed: a stream the test before closed counts until the server's next write to it.
            page.await(() -> page.number("total-connections") == 1, "the page's feed as the only connection");
            long connectionsBefore = page.number("total-connections");
            long inBefore = page.number("total-in");
            long outBefore = page.number("total-out");
            List<SseClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    SseClient client = hub.subscribe(CHANNEL);
                    clients.add(client);
                    assertEquals("stream-open", client.next(WAIT).event());
                }
                page.await(() -> page.number("total-connections") == connectionsBefore + 3, "three more connections");
                page.await(() -> page.busiestRows().size() > 0 && page.busiestRows().get(0).equals(List.of(CHANNEL, "3")),
                        "the channel at the top of the busiest, with its 3 subscribers");

                // Published one by one until the page shows a rate: each event counts, whenever the page's second falls.
                List<String> ids = new ArrayList<>();
                long deadline = System.nanoTime() + PAGE_WAIT.toNanos();
                while (ids.size() < 5 || page.rate("total-in-rate") == 0 || page.rate("total-out-rate") == 0) {
                    assertTrue(System.nanoTime() < deadline, "the page never showed a rate in and out: "
                            + page.text("total-in-rate") + " / " + page.text("total-out-rate"));
                    ids.add(hub.publishData(CHANNEL, "{\"n\":" + ids.size() + "}"));
                    for (SseClient client : clients) {
                        assertEquals(ids.get(ids.size() - 1), client.next(WAIT).id());
                    }
                }
                int published = ids.size();
                page.await(() -> page.number("total-in") >= inBefore + published, published + " more events in");
                page.await(() -> page.number("total-out") >= outBefore + 3L * published, 3 * published + " more events out");
                assertEquals(List.of("1", "1"), List.of(page.text("total-up"), page.text("total-nodes")));

                // The search box: the channel's subscribers across the cluster and its last events, newest first.
                browser.findElement(By.id("channel")).sendKeys(CHANNEL);
                browser.findElement(By.cssSelector("#search button[type=submit]")).click();
                page.await(() -> browser.findElement(By.id("result")).isDisplayed(), "the channel's look-up");
                assertEquals(CHANNEL, page.text("result-channel"));
                assertEquals("3", page.text("result-subscribers"));
                List<List<String>> events = page.rows("result-events");
                assertEquals(Math.min(published, 20), events.size(), events.toString());
                assertEquals(List.of(ids.get(published - 1), "message", "{\"n\":" + (published - 1) + "}"), events.get(0));

                Path screenshot = Path.of(System.getProperty("eventstream.target", "target"), "admin-page.png");
                Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                System.out.println("AdminPageIT: screenshot at " + screenshot.toAbsolutePath());
            } finally {
                clients.forEach(SseClient::close);
            }
            // Payara finds a client that left when a keep-alive write fails: within seconds at eventstream.keepalive=PT1S.
            page.await(() -> page.number("total-connections") == connectionsBefore, "the three connections gone again");
            page.await(() -> page.busiestRows().isEmpty(), "no busiest channel left");
        }
    }

    /** What the page shows, read through the browser. */
    private static final class Page {
        private final HeadlessChromium chromium;
        private final WebDriver browser;

        Page(HeadlessChromium chromium, WebDriver browser) {
            this.chromium = chromium;
            this.browser = browser;
        }

        String text(String id) {
            List<WebElement> found = browser.findElements(By.id(id));
            return found.isEmpty() ? "" : found.get(0).getText();
        }

        /** A count as the page writes it (1,234), or -1 before the first snapshot. */
        long number(String id) {
            String shown = text(id).replace(",", "");
            return shown.matches("\\d+") ? Long.parseLong(shown) : -1;
        }

        double rate(String id) {
            String shown = text(id).replace(",", "");
            return shown.matches("\\d+(\\.\\d+)?") ? Double.parseDouble(shown) : 0;
        }

        @SuppressWarnings("unchecked")
        List<List<String>> rows(String table) {
            return (List<List<String>>) ((JavascriptExecutor) browser).executeScript(
                    "return Array.from(document.querySelectorAll('#' + arguments[0] + ' tbody tr'))"
                            + ".map(r => Array.from(r.cells).map(c => c.textContent));", table);
        }

        List<List<String>> nodeRows() {
            return rows("nodes");
        }

        List<List<String>> busiestRows() {
            return rows("busiest");
        }

        void await(BooleanSupplier condition, String what) throws InterruptedException {
            chromium.await(condition, what, PAGE_WAIT, () -> "feed \"" + text("feed") + "\", connections "
                    + text("total-connections") + ", in " + text("total-in") + " (" + text("total-in-rate") + "/s), out "
                    + text("total-out") + " (" + text("total-out-rate") + "/s), nodes " + nodeRows() + ", busiest "
                    + busiestRows());
        }
    }
}
