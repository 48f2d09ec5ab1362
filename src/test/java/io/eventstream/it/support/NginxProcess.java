package io.eventstream.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** nginx, from Debian's package, run with the cluster recipe's own configuration ({@code deploy/cluster/nginx.conf}). */
public final class NginxProcess implements AutoCloseable {

    static final Path NGINX = Path.of("/usr/sbin/nginx");

    private final HubProcess process;
    private final int port;

    private NginxProcess(HubProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static boolean installed() {
        return Files.isExecutable(NGINX);
    }

    /** Starts nginx on a free port in front of these hub nodes, and waits until it answers. */
    public static NginxProcess inFrontOf(List<URL> nodes) throws IOException, InterruptedException {
        Path recipe = HubProcess.TARGET.toAbsolutePath().getParent().resolve("deploy/cluster/nginx.conf");
        Path prefix = Files.createTempDirectory(HubProcess.TARGET.toAbsolutePath(), "nginx-");
        for (String temp : List.of("body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            Files.createDirectories(prefix.resolve(temp));
        }
        int port = HubProcess.freePort();
        String upstreams = nodes.stream()
                .map(node -> "server 127.0.0.1:" + node.getPort() + " max_fails=1 fail_timeout=5s;")
                .collect(Collectors.joining(" "));
        Path config = prefix.resolve("nginx.conf");
        Files.writeString(config, Files.readString(recipe)
                .replace("@PREFIX@", prefix.toString())
                .replace("@PORT@", String.valueOf(port))
                .replace("@UPSTREAMS@", upstreams));
        HubProcess nginx = HubProcess.start("nginx", List.of(NGINX.toString(), "-p", prefix.toString(), "-c",
                config.toString()), prefix);
        NginxProcess proxy = new NginxProcess(nginx, port);
        nginx.awaitHttp(URI.create(proxy.base() + "status"), Duration.ofSeconds(30));
        return proxy;
    }

    /** The hub as clients see it through nginx. */
    public URL base() throws IOException {
        return URI.create("http://127.0.0.1:" + port + "/eventstream/").toURL();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
