package io.eventstream.adapter.http;

import io.eventstream.core.config.Settings;
import io.eventstream.core.net.ClientAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The client address of a request ({@link ClientAddress}): the socket's peer, or what {@code X-Forwarded-For} says when
 * the peer is in {@code eventstream.proxies.trusted}. The first time an untrusted peer sends the header, one warning
 * for the node tells the operator what to set if that peer is their proxy.
 */
@ApplicationScoped
public class ClientAddresses {

    static final String FORWARDED_FOR = "X-Forwarded-For";
    private static final Logger LOG = Logger.getLogger(ClientAddresses.class.getName());

    @Inject
    Settings settings;

    private final AtomicBoolean warned = new AtomicBoolean();

    /** The address {@code request}'s client is counted by. */
    public String of(HttpServletRequest request) {
        Enumeration<String> values = request.getHeaders(FORWARDED_FOR); // null where a container hides headers
        List<String> forwardedFor = values == null ? List.of() : Collections.list(values);
        ClientAddress client = ClientAddress.of(request.getRemoteAddr(), forwardedFor, settings.trustedProxies());
        if (client.untrustedForwarding() && warned.compareAndSet(false, true)) {
            LOG.warning(() -> "eventstream: " + request.getRemoteAddr() + " sent " + FORWARDED_FOR + ", which is ignored:"
                    + " it is not in eventstream.proxies.trusted (" + (settings.trustedProxies().isEmpty() ? "unset"
                    : settings.trustedProxies()) + "). If it is your proxy, add it there, or every client behind it"
                    + " counts as that one address for eventstream.connections.max-per-ip. Said once per node.");
        }
        return client.address();
    }
}
