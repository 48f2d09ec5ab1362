package io.eventstream.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpLiteralTest {

    private static String read(String text) {
        return IpLiteral.parse(text).map(InetAddress::getHostAddress).orElse("(none)");
    }

    @Test
    void readsIpv4AndIpv6LiteralsInOneSpellingEach() {
        assertEquals("203.0.113.7", read("203.0.113.7"));
        assertEquals("203.0.113.7", read(" 203.0.113.7 "));
        assertEquals("2001:db8:0:0:0:0:0:1", read("2001:db8::1"));
        assertEquals("2001:db8:0:0:0:0:0:1", read("2001:DB8:0::0:1"));
        assertEquals("0:0:0:0:0:0:0:1", read("::1"));
        assertEquals("10.0.0.1", read("::ffff:10.0.0.1"), "an IPv4-mapped address is the IPv4 client");
        assertEquals("fe80:0:0:0:0:0:0:1", read("fe80::1%eth0"), "the zone names an interface, not a client");
    }

    @Test
    void refusesWhatIsNotALiteralWithoutLookingItUp() {
        // Each would be a DNS lookup for InetAddress.getByName; "cafe" and "beef::zz" look like hex.
        for (String text : new String[] {"", " ", "localhost", "example.com", "unknown", "cafe", "beef::zz", "1234",
                "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.4:8080", "[::1]", "[::1]:80", "::1::2",
                "1:2:3:4:5:6:7:8:9", "_hidden", "1.2.3.4 5.6.7.8", "x".repeat(1000)}) {
            assertTrue(IpLiteral.parse(text).isEmpty(), "read as an address: '" + text + "'");
        }
        assertTrue(IpLiteral.parse(null).isEmpty());
    }
}
