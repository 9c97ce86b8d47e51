package dev.finitomata.persistence.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * INTERNAL API. An exclusive OS lock on {@code <dir>/.lock}, held while a store uses the directory, so that a
 * second process (or a second store in this JVM) pointing at the same directory fails fast instead of corrupting it.
 */
final class DirectoryLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DirectoryLock acquire(Path dir, String setting) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(".lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new IllegalStateException("directory " + dir.toAbsolutePath() + " is already used by another "
                    + "Finitomata store in this JVM: give each ActorSystem its own " + setting, e);
        }
        if (lock == null) {
            String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
            channel.close();
            throw new IllegalStateException("directory " + dir.toAbsolutePath() + " is locked by another process"
                    + (holder.isEmpty() ? "" : " (" + describe(holder) + ")") + ": two JVMs must not share it; stop "
                    + "the other process or point " + setting + " elsewhere");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "@" + host()).getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
        return new DirectoryLock(channel, lock);
    }

    /** The holder as the lock file names it: {@code pid@host} (a lone pid from before 0.2). */
    private static String describe(String holder) {
        int at = holder.indexOf('@');
        return at < 0 ? "pid " + holder : "pid " + holder.substring(0, at) + " on host " + holder.substring(at + 1);
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
