package io.eventstream.core.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    @Test
    void trustsSingleAddressesAndCidrRangesOfBothFamilies() {
        TrustedProxies trusted = TrustedProxies.parse(" 127.0.0.1, 10.0.0.0/8 ,192.168.1.128/25, ::1, fd00::/8, 2001:db8:1::/48");
        for (String peer : new String[] {"127.0.0.1", "10.0.0.0", "10.255.255.255", "192.168.1.128", "192.168.1.255",
                "::1", "0:0:0:0:0:0:0:1", "fd12:3456::9", "2001:db8:1:ffff::1", "::ffff:10.1.2.3"}) {
            assertTrue(trusted.trusts(peer), peer);
        }
        for (String peer : new String[] {"127.0.0.2", "11.0.0.0", "9.255.255.255", "192.168.1.127", "::2", "fe00::1",
                "2001:db8:2::1", "unknown", "", "localhost"}) {
            assertFalse(trusted.trusts(peer), peer);
        }
    }

    @Test
    void aRangeMatchesOnlyItsOwnFamily() {
        TrustedProxies everyIpv4 = TrustedProxies.parse("0.0.0.0/0");
        assertTrue(everyIpv4.trusts("198.51.100.1"));
        assertFalse(everyIpv4.trusts("2001:db8::1"));
        TrustedProxies everyIpv6 = TrustedProxies.parse("::/0");
        assertTrue(everyIpv6.trusts("2001:db8::1"));
        assertFalse(everyIpv6.trusts("198.51.100.1"));
    }

    @Test
    void anIpv4MappedRangeIsTheIpv4Range() {
        TrustedProxies mapped = TrustedProxies.parse("::ffff:10.0.0.0/104");
        assertTrue(mapped.trusts("10.9.9.9"));
        assertFalse(mapped.trusts("11.0.0.1"));
    }

    @Test
    void nothingIsTrustedWhenUnset() {
        assertSame(TrustedProxies.NONE, TrustedProxies.parse(null));
        assertSame(TrustedProxies.NONE, TrustedProxies.parse("  "));
        assertTrue(TrustedProxies.NONE.isEmpty());
        assertFalse(TrustedProxies.NONE.trusts("127.0.0.1"));
    }

    @Test
    void anEntryThatIsNotAnAddressOrRangeIsRefusedByName() {
        for (String list : new String[] {"proxy.example.com", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x",
                "10.0.0.0/-1", "127.0.0.1, nginx", "10.0.0.0/8/8", "::ffff:10.0.0.0/95"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(list), list);
            assertTrue(refused.getMessage().startsWith("'"), refused.getMessage());
        }
    }
}
