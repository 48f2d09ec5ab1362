package io.eventstream.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small GET requests to a hub node: the stream count of {@code /status}, a figure of the soak probe. */
final class NodeStatus {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private NodeStatus() {
    }

    /** How many streams the node says it holds (GET /eventstream/status), or "?" when it does not answer. */
    static String connections(InetSocketAddress node, Duration timeout) {
        String body = get(node, "/eventstream/status", timeout);
        Matcher m = Pattern.compile("\"connections\":(\\d+)").matcher(body == null ? "" : body);
        return m.find() ? m.group(1) : "?";
    }

    /** The integer field {@code name} of the JSON the node answers at {@code path}, or -1. */
    static long field(InetSocketAddress node, String path, String name, Duration timeout) {
        String body = get(node, path, timeout);
        Matcher m = Pattern.compile("\"" + name + "\":(-?\\d+)").matcher(body == null ? "" : body);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String get(InetSocketAddress node, String path, Duration timeout) {
        try {
            URI uri = URI.create("http://127.0.0.1:" + node.getPort() + path);
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(timeout).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
