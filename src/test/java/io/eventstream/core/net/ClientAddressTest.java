package io.eventstream.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private static final TrustedProxies PROXIES = TrustedProxies.parse("127.0.0.1, 10.0.0.0/8, fd00::/8");

    private static ClientAddress of(String peer, String... forwardedFor) {
        return ClientAddress.of(peer, List.of(forwardedFor), PROXIES);
    }

    @Test
    void withoutTheHeaderTheClientIsThePeer() {
        assertEquals(new ClientAddress("198.51.100.9", false), of("198.51.100.9"));
        assertEquals(new ClientAddress("0:0:0:0:0:0:0:1", false), of("::1"));
        assertEquals(new ClientAddress("198.51.100.9", false), ClientAddress.of("198.51.100.9", List.of(), TrustedProxies.NONE));
    }

    @Test
    void anUntrustedPeersHeaderIsIgnoredAndSaidSo() {
        assertEquals(new ClientAddress("198.51.100.9", true), of("198.51.100.9", "203.0.113.7"));
        assertEquals(new ClientAddress("127.0.0.1", true),
                ClientAddress.of("127.0.0.1", List.of("203.0.113.7"), TrustedProxies.NONE));
    }

    @Test
    void behindATrustedProxyTheClientIsTheRightMostUntrustedEntry() {
        assertEquals(new ClientAddress("203.0.113.7", false), of("127.0.0.1", "203.0.113.7"));
        // The client wrote the left entries itself: only what the trusted proxies appended counts.
        assertEquals(new ClientAddress("203.0.113.7", false), of("127.0.0.1", "1.1.1.1, 203.0.113.7, 10.0.0.5"));
        assertEquals(new ClientAddress("203.0.113.7", false), of("127.0.0.1", "1.1.1.1, 203.0.113.7", "10.0.0.5"));
        assertEquals(new ClientAddress("2001:db8:0:0:0:0:0:7", false), of("fd00::1", "2001:db8::7"));
    }

    @Test
    void whenEveryEntryIsATrustedProxyTheClientIsTheLeftMost() {
        assertEquals(new ClientAddress("10.0.0.5", false), of("127.0.0.1", "10.0.0.5, 10.0.0.6"));
    }

    @Test
    void aMalformedHeaderIsNotBelievedAtAll() {
        for (String header : new String[] {"", " ", "unknown", "203.0.113.7, unknown", "203.0.113.7,", ",203.0.113.7",
                "203.0.113.7:4711", "[2001:db8::7]", "host.example.com", "203.0.113.7;10.0.0.1", "1".repeat(5000)}) {
            assertEquals(new ClientAddress("127.0.0.1", false), of("127.0.0.1", header), header);
        }
    }

    @Test
    void aPeerThatIsNoAddressIsCountedAsWritten() {
        assertEquals(new ClientAddress("unix-socket", true), of("unix-socket", "203.0.113.7"));
        assertEquals(new ClientAddress("unknown", false), ClientAddress.of(null, List.of(), PROXIES));
    }
}
