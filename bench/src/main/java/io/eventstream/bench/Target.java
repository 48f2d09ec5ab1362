package io.eventstream.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** A server under test: how to subscribe to a channel over SSE and how to publish one event to it over HTTP. */
enum Target {

    /** The hub: {@code GET /eventstream/events?channel=}, {@code POST /eventstream/events/{channel}} with a bearer token. */
    EVENTSTREAM {
        @Override
        String subscribePath(String channel) {
            return "/eventstream/events?channel=" + channel;
        }

        @Override
        byte[] publishRequest(String hostPort, String token, String channel, String json) {
            return post(hostPort, "/eventstream/events/" + channel, "Authorization: Bearer " + token + "\r\n",
                    "{\"event\":\"message\",\"data\":" + json + "}");
        }

        @Override
        byte[] publishBatchRequest(String hostPort, String token, List<String> channels, List<String> jsons) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < channels.size(); i++) {
                body.append(i == 0 ? "" : ",").append("{\"channel\":\"").append(channels.get(i))
                        .append("\",\"event\":\"message\",\"data\":").append(jsons.get(i)).append('}');
            }
            return post(hostPort, "/eventstream/events", "Authorization: Bearer " + token + "\r\n", body.append(']').toString());
        }

        @Override
        boolean publishesBatches() {
            return true;
        }
    },

    /**
     * The same WAR on WildFly 37 (Undertow): its context root is the WAR's name too, so the requests are the hub's;
     * only the label differs.
     */
    WILDFLY {
        @Override
        String subscribePath(String channel) {
            return EVENTSTREAM.subscribePath(channel);
        }

        @Override
        byte[] publishRequest(String hostPort, String token, String channel, String json) {
            return EVENTSTREAM.publishRequest(hostPort, token, channel, json);
        }

        @Override
        byte[] publishBatchRequest(String hostPort, String token, List<String> channels, List<String> jsons) {
            return EVENTSTREAM.publishBatchRequest(hostPort, token, channels, jsons);
        }

        @Override
        boolean publishesBatches() {
            return true;
        }
    },

    /** nginx with nchan: {@code nchan_subscriber eventsource} at /sub, {@code nchan_publisher} at /pub. */
    NCHAN {
        @Override
        String subscribePath(String channel) {
            return "/sub?id=" + channel;
        }

        @Override
        byte[] publishRequest(String hostPort, String token, String channel, String json) {
            return post(hostPort, "/pub?id=" + channel, "", json);
        }
    },

    /** Pushpin: subscribers through the proxy (the origin answers with Grip-Hold: stream), publish on its HTTP API. */
    PUSHPIN {
        @Override
        String subscribePath(String channel) {
            return "/sub?id=" + channel;
        }

        @Override
        byte[] publishRequest(String hostPort, String token, String channel, String json) {
            String content = "event: message\ndata: " + json + "\n\n";
            return post(hostPort, "/publish/", "", "{\"items\":[{\"channel\":\"" + channel
                    + "\",\"formats\":{\"http-stream\":{\"content\":" + jsonString(content) + "}}}]}");
        }
    };

    abstract String subscribePath(String channel);

    abstract byte[] publishRequest(String hostPort, String token, String channel, String json);

    /** One request publishing several events, for a server with a batch endpoint. */
    byte[] publishBatchRequest(String hostPort, String token, List<String> channels, List<String> jsons) {
        throw new UnsupportedOperationException(label() + " has no batch publishing");
    }

    /** Whether {@link #publishBatchRequest} works. */
    boolean publishesBatches() {
        return false;
    }

    /** Whether it is the hub (on any server), which answers {@code GET /eventstream/status} with its counts. */
    boolean isHub() {
        return this == EVENTSTREAM || this == WILDFLY;
    }

    String label() {
        return name().toLowerCase();
    }

    static Target of(String name) {
        return valueOf(name.toUpperCase());
    }

    byte[] subscribeRequest(String hostPort, String channel) {
        return subscribeRequest(hostPort, channel, null);
    }

    /** The subscription, resuming after {@code lastEventId} ({@code Last-Event-ID}) when it is not null. */
    byte[] subscribeRequest(String hostPort, String channel, String lastEventId) {
        return ("GET " + subscribePath(channel) + " HTTP/1.1\r\nHost: " + hostPort
                + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n"
                + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n")
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] post(String hostPort, String path, String extraHeaders, String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + hostPort + "\r\n" + extraHeaders
                + "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + content.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(content, 0, request, head.length, content.length);
        return request;
    }

    static String jsonString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
