package io.eventstream.it.app;

import io.eventstream.api.ChannelAuthorizer;
import jakarta.enterprise.context.ApplicationScoped;

/** The application's authorizer: channels {@code staff-*} are for nobody anonymous. */
@ApplicationScoped
public class StaffOnlyAuthorizer implements ChannelAuthorizer {

    @Override
    public boolean canRead(String user, String channel) {
        return !channel.startsWith("staff-") || user != null;
    }
}
