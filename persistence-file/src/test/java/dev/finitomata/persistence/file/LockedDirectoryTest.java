package dev.finitomata.persistence.file;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.StoreChecks;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second JVM on a file-journal directory that another JVM uses: its first call fails within a second, naming the
 * directory, the holder's pid and host and the setting, instead of waiting out the ask timeout.
 */
class LockedDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void theFirstCallOnALockedDirectoryFailsAtOnceNamingTheHolder() throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dsun.misc.unsafe.memory.access=allow",
                "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), dir.toString(), "1"));
        Process holder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ActorTestKit kit = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = out.readLine(); // the other JVM has written: it holds the directory
            assertTrue(first != null && first.startsWith("ack"), "the holder did not start: " + first);

            kit = ActorTestKit.create("locked", FileConfigs.config(dir).withFallback(ConfigFactory.parseString(
                    "pekko.loglevel = OFF")).withFallback(ConfigFactory.load()));
            StoreChecks.firstStartFailsAtOnce(kit.system(), "the journal 'finitomata.persistence.file.journal'",
                    "does not work", dir.toAbsolutePath().toString(), "is locked by another process",
                    "pid " + holder.pid(), "on host " + InetAddress.getLocalHost().getHostName(),
                    "finitomata.persistence.file");
        } finally {
            holder.destroyForcibly().waitFor();
            if (kit != null) {
                kit.shutdownTestKit();
            }
        }
    }
}
