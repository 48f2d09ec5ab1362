package io.eventstream.adapter.http;

import io.eventstream.core.stream.ClientConnection;
import io.eventstream.core.stream.SseStream;
import io.eventstream.core.stream.StreamEnd;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * A stream's HTTP response, held open with the Servlet API's async mode and written with its non-blocking
 * output: no thread waits on a client, and the container says when a full connection can take bytes again.
 */
final class NonBlockingResponse implements ClientConnection, WriteListener, AsyncListener {

    private final AsyncContext async;
    private final ServletOutputStream out;
    private volatile SseStream stream;

    private NonBlockingResponse(AsyncContext async, ServletOutputStream out) {
        this.async = async;
        this.out = out;
    }

    /**
     * Answers {@code 200 text/event-stream} with the headers every event stream needs so that caches and proxies
     * (nginx) pass each event on at once, and holds the response open after the request's thread returns.
     */
    static NonBlockingResponse start(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(0); // a stream has no end the container should impose
        return new NonBlockingResponse(async, response.getOutputStream());
    }

    /** Opens the connection when called: what {@code Admission.open} calls once a stream is admitted. */
    public static Supplier<ClientConnection> opener(HttpServletRequest request, HttpServletResponse response) {
        return () -> {
            try {
                return start(request, response);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Override
    public void attach(SseStream stream) {
        this.stream = stream;
        async.addListener(this);
        out.setWriteListener(this); // from now on the output never blocks
    }

    @Override
    public boolean isReady() {
        return out.isReady();
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() {
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // Already completed, by the container after an error or by an earlier close.
        }
    }

    @Override
    public void onWritePossible() {
        stream.writePossible();
    }

    @Override
    public void onError(Throwable failure) {
        stream.close(StreamEnd.CLIENT_LEFT); // the client has gone
    }

    @Override
    public void onComplete(AsyncEvent event) {
        stream.close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        stream.close(StreamEnd.CLIENT_LEFT);
    }

    @Override
    public void onError(AsyncEvent event) {
        stream.close(StreamEnd.CLIENT_LEFT);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // Not restarted: one stream per request.
    }
}
