package io.eventstream.it.probes;

import io.eventstream.api.StreamClient;
import io.eventstream.api.StreamSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.Map;

/** A custom stream in SecurityIT's WAR that tells its client who the hub thinks it is. */
@ApplicationScoped
@Named("whoami")
public class WhoAmIStream implements StreamSource {

    @Override
    public void open(StreamClient client) {
        client.send("whoami", Map.of("user", client.user().orElse("anonymous")));
    }
}
