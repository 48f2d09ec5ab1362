package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.CuttableProxy;
import io.eventstream.it.support.HeadlessChromium;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;

/**
 * eventstream.js's {@code shared: true} in real headless Chromium: several tabs of the demo page on the same channels
 * read one stream of the hub, through a SharedWorker or, with it turned off, through a tab elected leader that the
 * next tab replaces when it closes.
 *
 * <p>A first tab stays open on a page of its own, so that closing every demo tab leaves the browser running (closing a
 * session's last window would end Chromium, and with it every connection, whatever the client does). The page is
 * reached as {@code 127.0.0.1} through a proxy, as in {@code BrowserIT}: a loopback origin is a secure context, which
 * {@code navigator.locks} needs. Skipped when Chromium is not installed, except in CI.
 */
class SharedTabsIT extends HubIT {

    private static final Duration PAGE_WAIT = Duration.ofSeconds(30);
    // eventstream.retry's default (PT3S), which the test node keeps: how long a browser waits before it reconnects.
    private static final long RETRY_MILLIS = 3_000;

    private CuttableProxy proxy;
    private HeadlessChromium chromium;
    private WebDriver browser;

    @BeforeEach
    void startBrowser() throws Exception {
        chromium = HeadlessChromium.start();
        browser = chromium.driver;
        proxy = new CuttableProxy(base.getHost(), base.getPort());
        browser.get("http://127.0.0.1:" + proxy.port() + base.getPath() + "status");
        // Streams of an earlier test end when the hub's keep-alive finds their client gone.
        hub.awaitStatus(status -> status.getInt("connections") == 0, WAIT);
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
    void tabsShareOneStreamThroughASharedWorkerUntilTheLastLeaves() throws Exception {
        List<String> tabs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tabs.add(openDemoTab("shared", "tabs-w-a, tabs-w-b"));
        }
        awaitTabs(() -> tabs.stream().allMatch(tab -> connected(tab) && "worker".equals(sharing(tab))),
                "three tabs connected through the SharedWorker", tabs);
        assertEquals(1, hub.status().getInt("connections"), "three tabs open, one stream on the hub");

        List<String> expected = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        publish(expected, ids, "tabs-w", 0, 10);
        awaitTabs(() -> tabs.stream().allMatch(tab -> messages(tab).size() == 10), "10 events in every tab", tabs);
        for (String tab : tabs) {
            assertEquals(expected, messages(tab), "every event once, in order");
            assertEquals(ids, ids(tab, "message"), "the ids the hub gave them");
        }

        // A late tab: the connection's position at once, then only what comes after it joined.
        String late = openDemoTab("shared", "tabs-w-a, tabs-w-b");
        awaitTabs(() -> connected(late), "the late tab to connect", List.of(late));
        assertEquals(List.of(ids.get(9)), ids(late, "stream-open"), "the late tab starts at the newest event");
        assertEquals(List.of(), messages(late), "no event from before it joined");
        assertEquals(1, hub.status().getInt("connections"));

        // Another channel list is another URL: a connection of its own, closed when its only tab lets go.
        String other = openDemoTab("shared", "tabs-w-a");
        awaitTabs(() -> connected(other) && "worker".equals(sharing(other)), "the tab on one channel", List.of(other));
        assertEquals(2, hub.status().getInt("connections"), "one stream per distinct URL");
        act(other, () -> browser.findElement(By.id("disconnect")).click());
        hub.awaitStatus(status -> status.getInt("connections") == 1, WAIT);

        close(tabs.remove(0));
        publish(expected, ids, "tabs-w", 10, 20);
        List<String> remaining = List.of(tabs.get(0), tabs.get(1), late);
        awaitTabs(() -> tabs.stream().allMatch(tab -> messages(tab).size() == 20) && messages(late).size() == 10,
                "the events published after a tab closed", remaining);
        for (String tab : tabs) {
            assertEquals(expected, messages(tab), "every event once, in order");
            assertEquals(ids, ids(tab, "message"));
            assertEquals(1, ids(tab, "stream-open").size(), "the stream went on: no reconnect");
        }
        assertEquals(expected.subList(10, 20), messages(late));
        assertEquals(1, hub.status().getInt("connections"));

        // Two tabs close, the last one disconnects while its page stays open (so the worker lives on): the worker
        // must have seen the closed tabs go (their locks) and closes the stream when the last one leaves.
        close(tabs.get(0));
        close(tabs.get(1));
        act(late, () -> browser.findElement(By.id("disconnect")).click());
        hub.awaitStatus(status -> status.getInt("connections") == 0, WAIT);
        assertTrue(rows(late, "stream-reset").isEmpty() && rows(late, "stream-error").isEmpty());
    }

    @Test
    void withoutSharedWorkerOneTabLeadsAndAnotherTakesOverWithoutLossOrDuplicate() throws Exception {
        List<String> tabs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tabs.add(openDemoTab("leader", "tabs-l-a, tabs-l-b"));
        }
        awaitTabs(() -> tabs.stream().allMatch(this::connected) && leaders(tabs).size() == 1
                && tabs.stream().filter(tab -> "follower".equals(sharing(tab))).count() == 2,
                "three tabs connected, one of them leading", tabs);
        assertEquals(1, hub.status().getInt("connections"), "three tabs open, one stream on the hub");

        List<String> expected = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        publish(expected, ids, "tabs-l", 0, 10);
        awaitTabs(() -> tabs.stream().allMatch(tab -> messages(tab).size() == 10), "10 events in every tab", tabs);
        for (String tab : tabs) {
            assertEquals(expected, messages(tab), "every event once, in order");
            assertEquals(ids, ids(tab, "message"));
        }

        // The leader's tab closes while events are being published: before, during and after the takeover.
        String leader = leaders(tabs).get(0);
        long closedAt = read(leader, () -> ((Number) script("return Date.now();")).longValue());
        List<String> duringExpected = new ArrayList<>();
        List<String> duringIds = new ArrayList<>();
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            try {
                publish(duringExpected, duringIds, "tabs-l", 10, 40);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        close(leader);
        tabs.remove(leader);
        publishing.get(30, TimeUnit.SECONDS);
        expected.addAll(duringExpected);
        ids.addAll(duringIds);
        publish(expected, ids, "tabs-l", 40, 50);

        awaitTabs(() -> tabs.stream().allMatch(tab -> messages(tab).size() >= 50) && leaders(tabs).size() == 1,
                "the events published across the takeover, and a new leader", tabs);
        for (String tab : tabs) {
            assertEquals(expected, messages(tab), "every event once, in order, across the takeover");
            assertEquals(ids, ids(tab, "message"));
            assertTrue(rows(tab, "stream-reset").isEmpty(), "the new leader resumed within the history");
        }
        String next = leaders(tabs).get(0);
        long openedAt = read(next, () -> Long.parseLong(browser.findElement(By.id("connection")).getDomAttribute("data-opened-at")));
        System.out.printf("SharedTabsIT: the new leader's stream opened %d ms after the old leader's tab closed%n",
                openedAt - closedAt);
        assertTrue(openedAt > closedAt && openedAt - closedAt < RETRY_MILLIS,
                "the new leader's stream opened " + (openedAt - closedAt) + " ms after the old leader's tab closed");
        // The old leader's stream ends on the hub when its keep-alive finds it gone.
        hub.awaitStatus(status -> status.getInt("connections") == 1, WAIT);

        // A late tab joins the new leader: its position at once, then only what comes after it joined.
        String late = openDemoTab("leader", "tabs-l-a, tabs-l-b");
        awaitTabs(() -> connected(late) && "follower".equals(sharing(late)), "the late tab to join", List.of(late));
        assertEquals(List.of(ids.get(ids.size() - 1)), ids(late, "stream-open"), "the late tab starts at the newest event");
        assertEquals(List.of(), messages(late), "no event from before it joined");

        // Once more: the older of the two remaining tabs leads (the lock's queue is first come, first served).
        close(next);
        tabs.remove(next);
        String last = tabs.get(0);
        publish(expected, ids, "tabs-l", 50, 55);
        awaitTabs(() -> messages(last).size() >= 55 && messages(late).size() >= 5 && "leader".equals(sharing(last)),
                "the older tab to lead", List.of(last, late));
        assertEquals(expected, messages(last));
        assertEquals(ids, ids(last, "message"));
        assertEquals(expected.subList(50, 55), messages(late));
        assertEquals(ids.subList(50, 55), ids(late, "message"));
        hub.awaitStatus(status -> status.getInt("connections") == 1, WAIT);

        // Closing the last tabs closes the stream.
        close(last);
        close(late);
        hub.awaitStatus(status -> status.getInt("connections") == 0, WAIT);
    }

    /** Opens the demo page in a new tab, picks the connection ({@code shared} or {@code leader}) and channels, connects. */
    private String openDemoTab(String sharing, String channels) {
        browser.switchTo().newWindow(WindowType.TAB);
        browser.get("http://127.0.0.1:" + proxy.port() + base.getPath() + "?shared=" + sharing);
        assertEquals(sharing, browser.findElement(By.id("sharing")).getDomProperty("value"),
                "the page took ?shared= from its URL");
        browser.findElement(By.id("channels")).clear();
        browser.findElement(By.id("channels")).sendKeys(channels);
        browser.findElement(By.cssSelector("#subscribe button[type=submit]")).click();
        return browser.getWindowHandle();
    }

    private void close(String tab) {
        browser.switchTo().window(tab);
        browser.close();
        browser.switchTo().window(browser.getWindowHandles().iterator().next());
    }

    private void publish(List<String> expected, List<String> ids, String prefix, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            ids.add(hub.publishData(prefix + (i % 2 == 0 ? "-a" : "-b"), "{\"n\":" + i + "}"));
            expected.add("{\"n\":" + i + "}");
        }
    }

    private List<String> leaders(List<String> tabs) {
        return tabs.stream().filter(tab -> "leader".equals(sharing(tab))).collect(Collectors.toList());
    }

    private boolean connected(String tab) {
        return read(tab, () -> browser.findElement(By.id("connection")).getText().startsWith("connected"));
    }

    /** What the page says about its connection: {@code worker}, {@code leader}, {@code follower}, or empty. */
    private String sharing(String tab) {
        return read(tab, () -> browser.findElement(By.id("connection")).getDomAttribute("data-sharing"));
    }

    private List<String> messages(String tab) {
        return rows(tab, "message");
    }

    /** The data column of a tab's event rows of one type, oldest first (the page prepends). */
    private List<String> rows(String tab, String type) {
        return column(tab, type, 3);
    }

    /** The id column of a tab's event rows of one type, oldest first. */
    private List<String> ids(String tab, String type) {
        return column(tab, type, 1);
    }

    @SuppressWarnings("unchecked")
    private List<String> column(String tab, String type, int column) {
        return read(tab, () -> (List<String>) script(
                "return Array.from(document.querySelectorAll('#events tr'))"
                        + ".filter(r => r.cells[2].textContent === arguments[0])"
                        + ".map(r => r.cells[arguments[1]].textContent).reverse();", type, column));
    }

    private Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(script, arguments);
    }

    private <T> T read(String tab, Supplier<T> value) {
        browser.switchTo().window(tab);
        return value.get();
    }

    private void act(String tab, Runnable action) {
        browser.switchTo().window(tab);
        action.run();
    }

    private void awaitTabs(BooleanSupplier condition, String what, List<String> tabs) throws InterruptedException {
        chromium.await(condition, what, PAGE_WAIT, () -> tabs.stream()
                .map(tab -> "[" + sharing(tab) + " \"" + read(tab, () -> browser.findElement(By.id("connection")).getText())
                        + "\" " + messages(tab).size() + " events, " + rows(tab, "stream-open").size() + " stream-open]")
                .collect(Collectors.joining(" ")));
    }
}
