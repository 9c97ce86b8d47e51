package dev.finitomata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The public API of a module, read from its compiled classes: every public class outside {@code internal} packages,
 * and what its public and protected members name. Used by the API-surface tests of each module.
 */
public final class ApiSurface {

    private ApiSurface() {
    }

    /**
     * Every place where the public API of the classes next to {@code anchor} names a type from an internal package:
     * in a signature, or in an annotation (on the class, a visible member, a parameter or a record component).
     */
    public static List<String> internalTypesInApi(Class<?> anchor) {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : publicClasses(anchor)) {
            annotations(leaks, type.toString(), type);
            if (type.isRecord()) {
                for (RecordComponent rc : type.getRecordComponents()) {
                    annotations(leaks, type + " component " + rc.getName(), rc);
                }
            }
            check(leaks, type + " extends", type.getGenericSuperclass());
            for (Type i : type.getGenericInterfaces()) {
                check(leaks, type + " implements", i);
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (visible(c.getModifiers())) {
                    checkExecutable(leaks, c);
                    annotations(leaks, c.toString(), c);
                }
            }
            for (Method m : type.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic()) {
                    check(leaks, m.toString(), m.getGenericReturnType());
                    checkExecutable(leaks, m);
                    annotations(leaks, m.toString(), m);
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (visible(f.getModifiers()) || type.isRecord()) {
                    check(leaks, f.toString(), f.getGenericType());
                    annotations(leaks, f.toString(), f);
                }
            }
        }
        return leaks;
    }

    /** The public classes (nested ones too) of the classes directory {@code anchor} was loaded from. */
    public static List<Class<?>> publicClasses(Class<?> anchor) {
        Path root;
        try {
            root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.contains(".internal.") || name.endsWith("package-info")) {
                    continue;
                }
                Class<?> type = Class.forName(name, false, anchor.getClassLoader());
                if (Modifier.isPublic(type.getModifiers()) && !type.isSynthetic() && !type.isAnonymousClass()) {
                    classes.add(type);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return classes;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void checkExecutable(List<String> leaks, Executable e) {
        for (Type p : e.getGenericParameterTypes()) {
            check(leaks, e.toString(), p);
        }
        for (Parameter p : e.getParameters()) {
            annotations(leaks, e + " parameter " + p.getName(), p);
        }
    }

    /** An annotation from an internal package, or one carrying one (a meta-annotation such as Jackson's bundles). */
    private static void annotations(List<String> leaks, String where, AnnotatedElement element) {
        for (Annotation a : element.getDeclaredAnnotations()) {
            Class<?> annotation = a.annotationType();
            if (annotation.getPackageName().contains(".internal")) {
                leaks.add(where + " is annotated with " + annotation.getName());
            }
        }
    }

    /**
     * The source files under {@code sourceRoot} outside {@code internal} packages that import Scala or a Pekko
     * {@code internal} package: such bits belong in an internal package (Pekko's in {@code internal.pekko}).
     */
    public static List<String> internalImportsOutsideInternal(Path sourceRoot) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (sourceRoot.relativize(file).toString().contains("/internal/")) {
                    continue;
                }
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("import scala.") || line.startsWith("import static scala.")
                            || (line.startsWith("import org.apache.pekko.") && line.contains(".internal."))) {
                        found.add(sourceRoot.relativize(file) + ": " + line);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static void check(List<String> leaks, String where, Type type) {
        if (type == null) {
            return;
        }
        switch (type) {
            case Class<?> c -> {
                Class<?> base = c;
                while (base.isArray()) {
                    base = base.getComponentType();
                }
                if (base.getPackageName().contains(".internal")) {
                    leaks.add(where + " names " + base.getName());
                }
            }
            case ParameterizedType p -> {
                check(leaks, where, p.getRawType());
                for (Type a : p.getActualTypeArguments()) {
                    check(leaks, where, a);
                }
            }
            case WildcardType w -> {
                Stream.of(w.getUpperBounds()).forEach(b -> check(leaks, where, b));
                Stream.of(w.getLowerBounds()).forEach(b -> check(leaks, where, b));
            }
            case GenericArrayType g -> check(leaks, where, g.getGenericComponentType());
            case TypeVariable<?> v -> {
                // bounds of the user's own type parameters: checked where they are declared
            }
            default -> {
            }
        }
    }

    /** The source files under {@code sourceRoot} longer than {@code maxLines}: probably two things in one file. */
    public static List<String> filesLongerThan(Path sourceRoot, int maxLines) {
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            List<String> found = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                int lines = Files.readAllLines(file).size();
                if (lines > maxLines) {
                    found.add(sourceRoot.relativize(file) + ": " + lines + " lines");
                }
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The source files under {@code sourceRoot} whose folder is not their package: the fences above go by folder, so
     * a public class filed under {@code internal} would escape them (VirtualTime did, from the house issue until
     * 2026-12-07).
     */
    public static List<String> filesOutsideTheirPackage(Path sourceRoot) {
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            List<String> found = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path folder = sourceRoot.relativize(file).getParent();
                String expected = folder == null ? "" : folder.toString().replace(java.io.File.separatorChar, '.');
                String declared = Files.readAllLines(file).stream().map(String::strip)
                        .filter(l -> l.startsWith("package ")).findFirst()
                        .map(l -> l.substring("package ".length(), l.indexOf(';'))).orElse("");
                if (!declared.equals(expected)) {
                    found.add(sourceRoot.relativize(file) + ": package " + declared);
                }
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every fence a library module keeps, broken: its public API (the classes next to {@code anchor}) names an
     * internal type; a source file outside {@code internal} imports Scala or Pekko internals; a source file has more
     * than 450 lines, or is not in its package's folder. Read from the module's {@code src/main/java} (tests run in
     * the module's directory).
     */
    public static List<String> fencesBroken(Class<?> anchor) {
        Path sources = Path.of("src/main/java");
        List<String> broken = new ArrayList<>(internalTypesInApi(anchor));
        broken.addAll(internalImportsOutsideInternal(sources));
        broken.addAll(filesLongerThan(sources, 450));
        broken.addAll(filesOutsideTheirPackage(sources));
        return broken;
    }
}
