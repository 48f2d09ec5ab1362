package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.CuttableProxy;
import io.eventstream.it.support.ExternalTools;
import io.eventstream.it.support.HeadlessChromium;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * The demo page, and with it eventstream.js, in real headless Chromium (Debian's chromium and chromedriver),
 * reaching the hub through a proxy that the test breaks.
 *
 * <p>Skipped when Chromium is not installed, except in CI (see {@link ExternalTools}).
 */
class BrowserIT extends HubIT {

    private static final Duration PAGE_WAIT = Duration.ofSeconds(30);

    private CuttableProxy proxy;
    private HeadlessChromium chromium;
    private WebDriver browser;

    @BeforeEach
    void startBrowser() throws Exception {
        chromium = HeadlessChromium.start();
        browser = chromium.driver;
        proxy = new CuttableProxy(base.getHost(), base.getPort());
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void theDemoPageResumesWithoutLossOrDuplicateAfterACutAndAnOutage() throws Exception {
        browser.get("http://127.0.0.1:" + proxy.port() + base.getPath());
        browser.findElement(By.id("channels")).clear();
        browser.findElement(By.id("channels")).sendKeys("browser-a, browser-b");
        browser.findElement(By.cssSelector("#subscribe button[type=submit]")).click();
        awaitPage(() -> connectionState().startsWith("connected"), "the page to connect");

        List<String> expected = new ArrayList<>();
        publish(expected, 0, 10);
        awaitPage(() -> received().size() == 10, "the first 10 events");

        // A network failure: the connection is cut, and events are published before the page is back.
        proxy.cut();
        publish(expected, 10, 20);
        awaitPage(() -> received().size() == 20, "the events published across the cut");

        // A node restart: connections are cut and refused with 503 for a while, during which events go on.
        proxy.unavailable(true);
        proxy.cut();
        awaitPage(() -> proxy.refused() >= 2, "the page to retry after a 503");
        publish(expected, 20, 30);
        proxy.unavailable(false);
        awaitPage(() -> received().size() == 30, "the events published during the outage");
        awaitPage(() -> connectionState().startsWith("connected"), "the page to report the connection again");

        publish(expected, 30, 35);
        awaitPage(() -> received().size() == 35, "live events after the outage");
        assertEquals(expected, received(), "every event once, in order");
        assertEquals(0, rows("stream-reset").size(), "no stream-reset: the history held every missed event");
        assertTrue(rows("stream-open").size() >= 3, "the page reconnected after each failure");
    }

    private void publish(List<String> expected, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            String channel = i % 2 == 0 ? "browser-a" : "browser-b";
            var response = hub.publish(channel, "{\"data\":{\"n\":" + i + "}}");
            assertEquals(202, response.statusCode(), response.body());
            expected.add("{\"n\":" + i + "}");
        }
    }

    /** The data of the page's {@code message} rows, oldest first. */
    private List<String> received() {
        return rows("message");
    }

    /** The data column of the page's event rows of one type, oldest first (the page prepends). */
    @SuppressWarnings("unchecked")
    private List<String> rows(String type) {
        List<String> data = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll('#events tr'))"
                        + ".filter(r => r.cells[2].textContent === arguments[0])"
                        + ".map(r => r.cells[3].textContent).reverse();", type);
        return data;
    }

    private String connectionState() {
        return browser.findElement(By.id("connection")).getText();
    }

    private void awaitPage(BooleanSupplier condition, String what) throws InterruptedException {
        chromium.await(condition, what, PAGE_WAIT, () -> "\"" + connectionState() + "\", events " + received()
                + ", " + rows("stream-open").size() + " stream-open");
    }
}
