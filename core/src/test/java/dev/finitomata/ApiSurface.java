package dev.finitomata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
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

    /** Every place where the public API of the classes next to {@code anchor} names a type from an internal package. */
    public static List<String> internalTypesInApi(Class<?> anchor) {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : publicClasses(anchor)) {
            check(leaks, type + " extends", type.getGenericSuperclass());
            for (Type i : type.getGenericInterfaces()) {
                check(leaks, type + " implements", i);
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (visible(c.getModifiers())) {
                    checkExecutable(leaks, c);
                }
            }
            for (Method m : type.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic()) {
                    check(leaks, m.toString(), m.getGenericReturnType());
                    checkExecutable(leaks, m);
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (visible(f.getModifiers())) {
                    check(leaks, f.toString(), f.getGenericType());
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
}
