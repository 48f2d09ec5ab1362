package io.eventstream.access;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.security.Principal;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Decides who may read which channel: with {@code eventstream.subscribe.jwt.key} set, a channel needs a grant in
 * the reader's token unless it is public; and a {@link ChannelAuthorizer} bean, if the application has one,
 * must agree. With neither, every channel is open.
 */
@ApplicationScoped
public class AccessPolicy {

    private static final Logger LOG = Logger.getLogger(AccessPolicy.class.getName());

    @Inject
    @ConfigProperty(name = "eventstream.subscribe.jwt.key")
    Optional<String> key;

    @Inject
    @ConfigProperty(name = "eventstream.channels.public")
    Optional<String> publicChannels;

    @Inject
    @ConfigProperty(name = "eventstream.subscribe.allow-query-token", defaultValue = "false")
    boolean allowQueryToken;

    @Inject
    Instance<ChannelAuthorizer> authorizers;

    private ChannelAuthorizer authorizer; // null: none, every channel is the authorizer's to allow
    private boolean ambiguous;
    private TokenVerifier verifier;
    private ChannelPatterns open;
    private String misconfigured;

    @PostConstruct
    void configure() {
        open = ChannelPatterns.parse(publicChannels.orElse(null));
        if (key.isPresent() && !key.get().isBlank()) {
            try {
                verifier = new TokenVerifier(key.get(), Clock.systemUTC());
            } catch (IllegalArgumentException e) {
                // Fail closed: a key was meant to protect channels, so nothing but public channels is served.
                misconfigured = e.getMessage();
                LOG.severe(() -> "eventstream: " + misconfigured + "; only eventstream.channels.public can be read");
            }
        }
        if (authorizers.isAmbiguous()) {
            ambiguous = true; // fail closed: which one would be right is not ours to guess
            LOG.severe("eventstream: more than one ChannelAuthorizer bean, so no channel can be read: keep one, "
                    + "or give one @Alternative @Priority");
        } else if (authorizers.isResolvable()) {
            authorizer = authorizers.get(); // once: a @Dependent authorizer must not be created per check
        }
    }

    /** Whether subscribers need a token for channels that are not public. */
    public boolean tokensRequired() {
        return verifier != null || misconfigured != null;
    }

    /**
     * Who is asking, from their token (header, cookie or, when allowed, query parameter) or the container's
     * authentication; throws {@code 401} for a token that does not verify.
     */
    public Reader identify(Principal principal, String authorization, String cookie, String queryToken) {
        String presented = BearerToken.from(authorization).orElse(cookie);
        if (presented == null && queryToken != null) {
            if (!allowQueryToken) {
                throw new AccessRefusedException(400, "tokens in the URL are off (they end up in logs): send the cookie "
                        + "'eventstream-token' or an Authorization header, or set eventstream.subscribe.allow-query-token=true");
            }
            presented = queryToken;
        }
        String user = principal == null ? null : principal.getName();
        if (presented == null || presented.isBlank()) {
            return new Reader(user, null);
        }
        if (verifier == null) {
            if (misconfigured != null) {
                throw new AccessRefusedException(401, "subscriber tokens cannot be verified: the server's key is misconfigured");
            }
            return new Reader(user, null); // no key: tokens mean nothing here (the header may be for someone else)
        }
        SubscriberToken token = verifier.verify(presented);
        return new Reader(token.user() != null ? token.user() : user, token);
    }

    /** Throws {@code 403} naming the channels {@code reader} may not read, if any. */
    public void requireReadable(Reader reader, List<String> channels) {
        List<String> refused = channels.stream().filter(channel -> !canRead(reader, channel)).toList();
        if (!refused.isEmpty()) {
            throw new AccessRefusedException(403, "not allowed to read " + String.join(", ", refused)
                    + (reader.token() == null && tokensRequired() ? " without a subscriber token" : ""));
        }
    }

    /** Whether {@code reader} may read {@code channel} now. */
    public boolean canRead(Reader reader, String channel) {
        if (tokensRequired() && !open.matches(channel)
                && (reader.token() == null || !reader.token().read().matches(channel))) {
            return false;
        }
        if (ambiguous) {
            return false;
        }
        return authorizer == null || authorizer.canRead(reader.user(), channel);
    }

    /** Whether a token presented to the publish endpoint grants publishing to {@code channel}; false if it is not a token of ours. */
    public boolean tokenMayPublish(String token, String channel) {
        if (verifier == null) {
            return false;
        }
        try {
            return verifier.verify(token).publish().matches(channel);
        } catch (AccessRefusedException e) {
            return false;
        }
    }
}
