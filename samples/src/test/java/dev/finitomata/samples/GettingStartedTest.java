package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/getting-started.md builds and its test passes: the project is written from the page's own code blocks (each
 * fenced with {@code file=<path>}), and built by Maven, offline, with the Finitomata artifacts of this build put
 * into the local repository first (as {@code mvn install} would) and the JDK of this test.
 */
class GettingStartedTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String VERSION = "0.1.0-SNAPSHOT";
    private static final Pattern FILE_BLOCK = Pattern.compile("```\\w+ file=(\\S+)\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path project;

    /** The jars built for it, and Maven's log (JUnit deletes it; it was left in the temporary directory). */
    @TempDir
    Path scratch;

    static Map<String, String> files() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        Matcher m = FILE_BLOCK.matcher(Files.readString(ROOT.resolve("docs/getting-started.md")));
        while (m.find()) {
            files.put(m.group(1), m.group(2));
        }
        return files;
    }

    /** The local Maven repository this build resolves from: found from where Pekko's jar came. */
    private static Path localRepository() {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            int at = entry.indexOf("/org/apache/pekko/pekko-actor_2.13/");
            if (at > 0) {
                return Path.of(entry.substring(0, at));
            }
        }
        throw new IllegalStateException("no pekko-actor jar on the class path to find the local repository by");
    }

    /**
     * This build's module {@code dir} (artifact {@code artifact}): its jar on the test class path, or its classes
     * there, jarred.
     */
    private static Path built(String dir, String artifact, Path scratch) throws IOException {
        Path jar = ROOT.resolve(dir).resolve("target").resolve(artifact + "-" + VERSION + ".jar");
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath().normalize();
            if (p.equals(jar) || p.getFileName().toString().equals(jar.getFileName().toString())) {
                return p; // the reactor's jar, or the one installed before (a build of this module alone)
            }
            if (p.equals(ROOT.resolve(dir).resolve("target/classes"))) {
                Path made = scratch.resolve(artifact + ".jar");
                try (OutputStream out = Files.newOutputStream(made); JarOutputStream zip = new JarOutputStream(out);
                     Stream<Path> all = Files.walk(p)) {
                    for (Path f : all.filter(Files::isRegularFile).toList()) {
                        zip.putNextEntry(new JarEntry(p.relativize(f).toString().replace(File.separatorChar, '/')));
                        Files.copy(f, zip);
                        zip.closeEntry();
                    }
                }
                return made;
            }
        }
        throw new IllegalStateException(artifact + " is not on the test class path, neither as " + jar
                + " nor as its classes");
    }

    /** What {@code mvn install} does for one artifact: its pom (and jar) in the local repository's layout. */
    private static void install(Path repo, String artifact, Path pom, Path jar) throws IOException {
        Path dir = repo.resolve("dev/finitomata").resolve(artifact).resolve(VERSION);
        Files.createDirectories(dir);
        Files.copy(pom, dir.resolve(artifact + "-" + VERSION + ".pom"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, dir.resolve(artifact + "-" + VERSION + ".jar"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void theGettingStartedProjectBuildsAndItsTestPasses() throws Exception {
        Map<String, String> files = files();
        assertEquals(List.of("pom.xml", "src/main/java/com/example/Door.java",
                "src/test/java/com/example/DoorTest.java", "src/main/resources/application.conf",
                "src/test/resources/logback-test.xml"), new ArrayList<>(files.keySet()));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = project.resolve(f.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, f.getValue());
        }
        Path repo = localRepository();
        install(repo, "finitomata-parent", ROOT.resolve("pom.xml"), null);
        install(repo, "finitomata-bom", ROOT.resolve("bom/pom.xml"), null);
        install(repo, "finitomata-core", ROOT.resolve("core/pom.xml"), built("core", "finitomata-core", scratch));
        install(repo, "finitomata-persistence-file", ROOT.resolve("persistence-file/pom.xml"),
                built("persistence-file", "finitomata-persistence-file", scratch));

        ProcessBuilder maven = new ProcessBuilder("mvn", "-o", "-B", "-q", "-Dmaven.repo.local=" + repo, "test")
                .directory(project.toFile()).redirectErrorStream(true);
        maven.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path log = scratch.resolve("build.log");
        maven.redirectOutput(log.toFile());
        Process build = maven.start();
        assertTrue(build.waitFor(5, TimeUnit.MINUTES), "the build did not finish in 5 minutes");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, build.exitValue(), "mvn test of docs/getting-started.md failed:\n" + output);
        String report = Files.readString(project.resolve("target/surefire-reports/com.example.DoorTest.txt"));
        assertTrue(report.contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0"), report);
        assertTrue(Files.exists(project.resolve("target/generated-sources/annotations/com/example/"
                + "DoorDefinition.java")), "javac generated DoorDefinition from @FsmDiagram");
    }
}
