package io.eventstream.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One keep-alive HTTP/1.1 connection that sends a request and reads its answer before the next. */
final class HttpConnection {

    /**
     * How a request ended: {@code status} 0 when no answer came (the connection failed, perhaps after the server
     * took the request: the caller cannot tell), else the HTTP status; {@code text} the status line and body, or
     * the failure.
     */
    record Answer(int status, String text, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** Null when answered 2xx, else what went wrong. */
        String error() {
            return ok() ? null : text;
        }
    }

    private final InetSocketAddress address;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    HttpConnection(InetSocketAddress address) {
        this.address = address;
    }

    /** Sends one request, again on a new connection when a try fails without an answer, {@code tries} times at most. */
    Answer send(byte[] request, int tries) {
        for (int attempt = 1; ; attempt++) {
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.setTcpNoDelay(true);
                    socket.connect(address, 5000);
                    socket.setSoTimeout(30_000);
                    out = socket.getOutputStream();
                    in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                }
                out.write(request);
                out.flush();
                return readResponse();
            } catch (IOException e) {
                close();
                if (attempt >= tries) {
                    return new Answer(0, e.toString(), "");
                }
            }
        }
    }

    private Answer readResponse() throws IOException {
        String status = readLine();
        if (status == null) {
            throw new IOException("connection closed before an answer");
        }
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            String lower = line.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                closeAfter = true;
            }
        }
        StringBuilder body = new StringBuilder();
        if (chunked) {
            while (true) {
                String size = readLine();
                int semi = size.indexOf(';');
                long n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                if (n == 0) {
                    while ((line = readLine()) != null && !line.isEmpty()) {
                        // trailers
                    }
                    break;
                }
                body.append(new String(in.readNBytes((int) n), StandardCharsets.UTF_8));
                readLine();
            }
        } else if (length >= 0) {
            body.append(new String(in.readNBytes((int) length), StandardCharsets.UTF_8));
        } else {
            closeAfter = true;
        }
        if (closeAfter) {
            close();
        }
        String[] parts = status.split(" ", 3);
        int code = parts.length >= 2 && parts[1].matches("\\d{3}") ? Integer.parseInt(parts[1]) : 0;
        String text = body.toString().strip();
        return new Answer(code, status + " " + text, text);
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) b);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // gone anyway
            }
        }
        socket = null;
    }
}
