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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A stream's HTTP response, held open with the Servlet API's async mode and written with its non-blocking
 * output: no thread waits on a client, and the container says when a full connection can take bytes again.
 */
final class NonBlockingResponse implements ClientConnection, WriteListener, AsyncListener {

    // The response buffer of a stream, held as long as the stream is open. Undertow otherwise gives every response a
    // buffer from its pool (16 KiB, direct) and keeps it until the response completes. WildFly 37, 10,000 idle
    // streams: 20.3 KiB of resident memory per stream with the pool's buffer, 6.3 and 16.3 in two runs with this (the
    // heap's 6.2 KiB plus this buffer is the steadier figure; bench/RESULTS.md). A frame that does not fit is written
    // straight from its array, so a larger event costs no copy. 4 KiB saved more but made a saturated fan-out of 1 KiB
    // events slow (p99 120-1,343 ms against 70-78 with the pool's buffer or 8 KiB): more writes the socket refused,
    // each a wait for the container's callback. Payara's per-stream memory did not move either way.
    static final int STREAM_BUFFER_BYTES = 8192;

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final CompletableFuture<Void> finished = new CompletableFuture<>(); // the container called onComplete
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
        response.setBufferSize(STREAM_BUFFER_BYTES); // before anything is written, as the Servlet API requires
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
    public CompletionStage<Void> finished() {
        return finished;
    }

    @Override
    public void onComplete(AsyncEvent event) {
        stream.close();
        finished.complete(null);
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
