package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * finitomata-bom (which has no parent, so that importing it brings only what it lists) says what the build uses: its
 * version, the versions of Pekko, pekko-http, pekko-management, pekko-persistence-jdbc and JUnit, and every published
 * module.
 */
class BomTest {

    private static final Path ROOT = Path.of("..");

    private static String tag(String pom, String tag) {
        Matcher m = Pattern.compile("<" + Pattern.quote(tag) + ">([^<]*)</" + Pattern.quote(tag) + ">").matcher(pom);
        if (!m.find()) {
            throw new AssertionError("no <" + tag + ">");
        }
        return m.group(1);
    }

    @Test
    void theBomListsWhatTheBuildUses() throws Exception {
        String parent = Files.readString(ROOT.resolve("pom.xml"));
        String bom = Files.readString(ROOT.resolve("bom/pom.xml"));
        assertEquals(tag(parent.substring(parent.indexOf("<artifactId>finitomata-parent")), "version"),
                tag(bom.substring(bom.indexOf("<artifactId>finitomata-bom")), "version"));
        for (String property : List.of("pekko.version", "pekko-http.version", "pekko-management.version",
                "pekko-persistence-jdbc.version", "junit.version")) {
            assertEquals(tag(parent, property), tag(bom, property), property);
        }
        List<String> published = new ArrayList<>();
        Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
        while (modules.find()) {
            String module = modules.group(1);
            if (!List.of("bom", "samples", "benchmarks", "samples/broken-diagram").contains(module)) {
                published.add(tag(Files.readString(ROOT.resolve(module).resolve("pom.xml"))
                        .replaceFirst("(?s)<parent>.*?</parent>", ""), "artifactId"));
            }
        }
        TreeSet<String> listed = new TreeSet<>();
        Matcher ours = Pattern.compile("<groupId>dev.finitomata</groupId><artifactId>([^<]+)</artifactId>")
                .matcher(bom.substring(bom.lastIndexOf("<dependencyManagement>")));
        while (ours.find()) {
            listed.add(ours.group(1));
        }
        assertEquals(new TreeSet<>(published), listed, "every published module, and only those");
    }
}
