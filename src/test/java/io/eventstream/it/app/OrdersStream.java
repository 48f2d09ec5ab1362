package io.eventstream.it.app;

import io.eventstream.api.StreamClient;
import io.eventstream.api.StreamSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.Map;

/** The application's custom stream, served at {@code {app}/eventstream/streams/orders}. */
@ApplicationScoped
@Named("orders")
public class OrdersStream implements StreamSource {

    @Override
    public void open(StreamClient client) {
        client.send("order", Map.of("open", 3));
    }
}
