package dev.finitomata.sharding.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of one cluster member, for cutting the network between processes on one machine without
 * root tools: every member listens on a loopback address of its own ({@code 127.0.0.x}), connects out from it
 * ({@code pekko.remote.artery.advanced.tcp.outbound-client-hostname}), and is reached by the others through its proxy
 * (its canonical address). The proxy sees which member a connection comes from by its address, so
 * {@link #cut(Set)} can refuse and close the connections of some members, which, done on every proxy, splits the
 * cluster in both directions; {@link #heal()} lets them through again.
 */
public final class PartitionProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    /** The addresses whose connections are refused; "*" refuses everyone's. */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private record Link(String from, Socket in, Socket out) {
        void close() {
            closeQuietly(in);
            closeQuietly(out);
        }
    }

    /** Listens on {@code host:port} and forwards to {@code targetHost:targetPort}. */
    public PartitionProxy(String host, int port, String targetHost, int targetPort) {
        try {
            this.server = new ServerSocket(port, 200, InetAddress.getByName(host));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        }
        this.target = new InetSocketAddress(targetHost, targetPort);
        Thread.ofVirtual().name("proxy-" + host + ":" + port).start(this::accept);
    }

    /** Refuses (and closes) the connections coming from {@code addresses} ("*": from anyone). */
    public void cut(Set<String> addresses) {
        refused.addAll(addresses);
        links.removeIf(link -> {
            if (isRefused(link.from())) {
                link.close();
                return true;
            }
            return false;
        });
    }

    /** Lets every connection through again. */
    public void heal() {
        refused.clear();
    }

    private boolean isRefused(String from) {
        return refused.contains("*") || refused.contains(from);
    }

    private void accept() {
        while (!closed) {
            Socket in;
            try {
                in = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            String from = in.getInetAddress().getHostAddress();
            if (isRefused(from)) {
                closeQuietly(in);
                continue;
            }
            Socket out = new Socket();
            try {
                out.connect(target, 2_000);
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(in);
                closeQuietly(out);
                continue;
            }
            Link link = new Link(from, in, out);
            links.add(link);
            Thread.ofVirtual().start(() -> pump(link, in, out));
            Thread.ofVirtual().start(() -> pump(link, out, in));
        }
    }

    private void pump(Link link, Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream input = from.getInputStream(); OutputStream output = to.getOutputStream()) {
            int n;
            while ((n = input.read(buffer)) >= 0) {
                output.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // cut, or closed by an end
        } finally {
            links.remove(link);
            link.close();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closed already
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        links.forEach(Link::close);
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closed already
        }
    }
}
