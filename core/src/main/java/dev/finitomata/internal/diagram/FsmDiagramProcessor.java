package dev.finitomata.internal.diagram;

import dev.finitomata.FsmDiagram;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.definition.FsmDefinitionException;
import dev.finitomata.definition.FsmDiagnostic;
import java.io.IOException;
import java.io.Writer;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.StandardLocation;

/**
 * INTERNAL API. The annotation processor behind {@link FsmDiagram}, registered in {@code META-INF/services}: for each
 * annotated {@code FsmBehavior} subclass {@code X} it reads the diagram (inline or from a resource), parses and
 * validates it with {@link FsmDefinition#parse(String)}, and either reports every problem as an error on the
 * annotation or generates {@code XDefinition} (see {@link FsmDiagram}).
 *
 * <p>Design: it touches only the definition package, so it runs with finitomata-core alone on the processor path
 * (no Pekko). Warnings of the definition become javac warnings. Names are turned into constants here
 * ({@link #constant}); a clash is an error, never a silently renamed constant.
 */
@SupportedAnnotationTypes("dev.finitomata.FsmDiagram")
public final class FsmDiagramProcessor extends AbstractProcessor {

    private static final String BEHAVIOR = "dev.finitomata.FsmBehavior";
    /** Where a resource may be, in order: the sources, the class output (Maven's copied resources), the class path. */
    private static final List<JavaFileManager.Location> RESOURCE_LOCATIONS = List.of(StandardLocation.SOURCE_PATH,
            StandardLocation.CLASS_OUTPUT, StandardLocation.CLASS_PATH);

    private Messager messager;
    private Filer filer;

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        this.messager = env.getMessager();
        this.filer = env.getFiler();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        TypeElement annotation = processingEnv.getElementUtils().getTypeElement(FsmDiagram.class.getName());
        if (annotation == null) {
            return false;
        }
        for (Element element : round.getElementsAnnotatedWith(annotation)) {
            AnnotationMirror mirror = mirrorOf(element, annotation);
            if (!(element instanceof TypeElement type) || element.getKind() != ElementKind.CLASS) {
                error(element, mirror, "@FsmDiagram belongs on a class that extends " + BEHAVIOR + ", not on the "
                        + element.getKind().toString().toLowerCase(Locale.ROOT) + " " + element.getSimpleName());
                continue;
            }
            process(type, mirror);
        }
        return true;
    }

    private void process(TypeElement type, AnnotationMirror mirror) {
        if (!extendsBehavior(type)) {
            error(type, mirror, "@FsmDiagram belongs on a class that extends " + BEHAVIOR + "; "
                    + type.getQualifiedName() + " does not");
            return;
        }
        FsmDiagram diagram = type.getAnnotation(FsmDiagram.class);
        boolean inline = !diagram.value().isBlank();
        boolean file = !diagram.resource().isBlank();
        if (inline == file) {
            error(type, mirror, inline ? "@FsmDiagram of " + type.getSimpleName() + " has both value and resource: "
                    + "give the diagram inline or as a file, not both"
                    : "@FsmDiagram of " + type.getSimpleName() + " has no diagram: give it inline "
                    + "(value = \"\"\"...\"\"\") or as a file next to the class (resource = \""
                    + decapitalize(type) + ".mmd\")");
            return;
        }
        String where = inline ? "" : diagram.resource() + " ";
        String text = inline ? diagram.value() : read(type, mirror, diagram.resource());
        if (text == null) {
            return;
        }
        FsmDefinition definition;
        try {
            definition = FsmDefinition.parse(text);
        } catch (FsmDefinitionException e) {
            for (FsmDiagnostic problem : e.problems()) {
                error(type, mirror, "invalid FSM diagram of " + type.getSimpleName() + " (" + where + problem.problem()
                        + "): " + (problem.line() > 0 ? "" : "whole diagram: ") + problem.message());
            }
            return;
        }
        for (String warning : definition.warnings()) {
            messager.printMessage(Diagnostic.Kind.WARNING, "FSM diagram of " + type.getSimpleName() + ": " + warning,
                    type, mirror);
        }
        Map<String, String> states = constants(type, mirror, "state", "States", definition.states());
        Map<String, String> events = constants(type, mirror, "event", "Events", definition.events());
        if (states == null || events == null) {
            return;
        }
        generate(type, text, states, events);
    }

    private boolean extendsBehavior(TypeElement type) {
        TypeElement behavior = processingEnv.getElementUtils().getTypeElement(BEHAVIOR);
        if (behavior == null) {
            return true; // cannot tell: javac reports the missing class itself
        }
        var types = processingEnv.getTypeUtils();
        TypeMirror erased = types.erasure(behavior.asType());
        return types.isSubtype(types.erasure(type.asType()), erased);
    }

    /** The diagram file, or null once its absence is reported. */
    private String read(TypeElement type, AnnotationMirror mirror, String resource) {
        String pkg = packageOf(type);
        String name = resource;
        if (name.startsWith("/")) {
            pkg = "";
            name = name.substring(1);
        }
        for (JavaFileManager.Location location : RESOURCE_LOCATIONS) {
            try {
                FileObject file = filer.getResource(location, pkg, name);
                return file.getCharContent(true).toString();
            } catch (IOException | IllegalArgumentException | IllegalStateException e) {
                // not there (or a location this compiler does not offer): try the next one
            }
        }
        String path = (pkg.isEmpty() ? "" : pkg.replace('.', '/') + "/") + name;
        error(type, mirror, "FSM diagram resource '" + resource + "' of " + type.getSimpleName() + " not found: put "
                + "it at " + path + " in src/main/resources or next to the class's source (looked in the source "
                + "path, the class output and the class path)");
        return null;
    }

    /** Constant name per definition name, in order; null if two names clash (reported). */
    private Map<String, String> constants(TypeElement type, AnnotationMirror mirror, String kind, String holder,
                                          Collection<String> names) {
        Map<String, String> byConstant = new LinkedHashMap<>();
        boolean clash = false;
        for (String name : names) {
            String constant = constant(name);
            String other = byConstant.putIfAbsent(constant, name);
            if (constant.equals("ALL")) {
                error(type, mirror, "FSM diagram of " + type.getSimpleName() + ": " + kind + " '" + name
                        + "' would be " + holder + ".ALL, which is the set of every " + kind + ": rename it");
                clash = true;
            } else if (other != null) {
                error(type, mirror, "FSM diagram of " + type.getSimpleName() + ": " + kind + "s '" + other + "' and '"
                        + name + "' would both be " + holder + "." + constant + ": rename one of them");
                clash = true;
            }
        }
        return clash ? null : byConstant;
    }

    /** {@code payNow?} → {@code PAY_NOW}, {@code go!} → {@code GO}, {@code __start__} → {@code __START__}. */
    public static String constant(String name) {
        String bare = name.endsWith("!") || name.endsWith("?") ? name.substring(0, name.length() - 1) : name;
        StringBuilder out = new StringBuilder(bare.length() + 4);
        for (int i = 0; i < bare.length(); i++) {
            char c = bare.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && (Character.isLowerCase(bare.charAt(i - 1))
                    || Character.isDigit(bare.charAt(i - 1)) || (i + 1 < bare.length()
                    && Character.isUpperCase(bare.charAt(i - 1)) && Character.isLowerCase(bare.charAt(i + 1))))) {
                out.append('_');
            }
            out.append(Character.toUpperCase(c));
        }
        return out.toString();
    }

    private void generate(TypeElement type, String text, Map<String, String> states, Map<String, String> events) {
        String pkg = packageOf(type);
        String simple = type.getSimpleName() + "Definition";
        String qualified = pkg.isEmpty() ? simple : pkg + "." + simple;
        StringBuilder src = new StringBuilder();
        if (!pkg.isEmpty()) {
            src.append("package ").append(pkg).append(";\n\n");
        }
        src.append("/**\n * The FSM definition of {@link ").append(type.getQualifiedName())
                .append("}, generated by Finitomata from its {@code @FsmDiagram} (do not edit):\n *\n * <pre>\n");
        text.strip().lines().forEach(line -> src.append(" * ").append(javadocText(line)).append('\n'));
        src.append(" * </pre>\n */\n")
                .append("@javax.annotation.processing.Generated(\"").append(getClass().getName()).append("\")\n")
                .append(type.getModifiers().contains(Modifier.PUBLIC) ? "public " : "")
                .append("final class ").append(simple).append(" {\n\n")
                .append("    /** The parsed and validated definition (checked when this class was compiled). */\n")
                .append("    public static final dev.finitomata.definition.FsmDefinition DEFINITION =\n")
                .append("            dev.finitomata.definition.FsmDefinition.parse(").append(literal(text))
                .append(");\n\n")
                .append("    private ").append(simple).append("() {\n    }\n");
        holder(src, "States", "state", states);
        holder(src, "Events", "event", events);
        src.append("}\n");
        try (Writer out = filer.createSourceFile(qualified, type).openWriter()) {
            out.write(src.toString());
        } catch (IOException e) {
            messager.printMessage(Diagnostic.Kind.ERROR, "cannot write " + qualified + ": " + e.getMessage(), type);
        }
    }

    private static void holder(StringBuilder src, String holder, String kind, Map<String, String> constants) {
        src.append("\n    /** One constant per ").append(kind).append(" of the diagram, and {@link #ALL}. */\n")
                .append("    public static final class ").append(holder).append(" {\n");
        constants.forEach((constant, name) -> src.append("        /** The ").append(kind).append(" {@code ")
                .append(javadocText(name)).append("}. */\n        public static final String ").append(constant)
                .append(" = ").append(literal(name)).append(";\n"));
        src.append("        /** Every ").append(kind).append(", in order of first appearance in the diagram. */\n")
                .append("        public static final java.util.Set<String> ALL =\n")
                .append("                java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(")
                .append("java.util.List.of(").append(String.join(", ", constants.keySet())).append(")));\n\n")
                .append("        private ").append(holder).append("() {\n        }\n    }\n");
    }

    /** A Java string literal of {@code s}. */
    private static String literal(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Text safe inside a Javadoc comment: no end of comment, no tags, no unicode escapes, HTML escaped. */
    private static String javadocText(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("@", "&#64;")
                .replace("*/", "*&#47;").replace("\\", "&#92;").replace("{", "&#123;").replace("}", "&#125;");
    }

    private String packageOf(TypeElement type) {
        PackageElement pkg = processingEnv.getElementUtils().getPackageOf(type);
        return pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
    }

    private static String decapitalize(TypeElement type) {
        String s = type.getSimpleName().toString();
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static AnnotationMirror mirrorOf(Element element, TypeElement annotation) {
        for (AnnotationMirror m : element.getAnnotationMirrors()) {
            if (m.getAnnotationType().asElement().equals(annotation)) {
                return m;
            }
        }
        return null;
    }

    private void error(Element element, AnnotationMirror mirror, String message) {
        messager.printMessage(Diagnostic.Kind.ERROR, message, element, mirror);
    }
}
