package io.eventstream.it.probes;

import io.eventstream.api.ChannelAuthorizer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The application's authorizer in SecurityIT's WAR: {@code private/<user>} and {@code public/mine/<user>} only
 * for that user, and revocations from a file both nodes read (as they would read one database). Patterns: any that
 * can match no personal channel ({@code public/feed/*}, not {@code public/*}).
 */
@ApplicationScoped
public class TestAuthorizer implements ChannelAuthorizer {

    @Override
    public boolean canRead(String user, String channel) {
        if (revoked(user, channel)) {
            return false;
        }
        for (String personal : new String[] {"private/", "public/mine/"}) {
            if (channel.startsWith(personal)) {
                return user != null && channel.equals(personal + user);
            }
        }
        return true;
    }

    @Override
    public boolean canReadPattern(String user, String pattern) {
        String prefix = pattern.substring(0, pattern.length() - 1);
        for (String personal : new String[] {"private/", "public/mine/"}) {
            if (prefix.startsWith(personal) || personal.startsWith(prefix)) {
                return false; // it could match another user's channel
            }
        }
        return !revoked(user, pattern);
    }

    private static boolean revoked(String user, String channel) {
        String file = System.getProperty("eventstream.it.revocations");
        try {
            return file != null && Files.exists(Path.of(file))
                    && Files.readAllLines(Path.of(file)).contains(user + " " + channel);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
