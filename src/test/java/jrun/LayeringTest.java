package jrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * jrun's packages form layers, each using only those below it: the architecture stays as the
 * README draws it, and a change has one place to go. The test reads every main source file's
 * imports (and any fully qualified {@code jrun.x.Y} in its code) and fails on an edge that
 * points up the list, printing the offending file:line; a strict order also rules out cycles
 * between layers, and a second check rules them out between a package and its subpackages
 * (linux and linux.cgroups), which share a layer.
 */
class LayeringTest {
    /** Bottom first. A package is the first name under {@code jrun} (linux.cgroups is linux's). */
    static final List<String> LAYERS = List.of(
            "base",       // errors, log, timing, version: imports nothing of jrun's
            "ttrpc",      // containerd's ttrpc: framing, protobuf fields, server and client
            "sys",        // the FFM seam: syscalls, kernel constants and struct layouts
            "json",       // jrun's JSON tree, reader and writer
            "spec",       // the runtime-spec's config as records
            "rootless",   // an ordinary user's rules: default root, --rootless, its ids, a config's checks
            "linux",      // planning, host facts, cgroups, seccomp, LSM, net devices
            "validation", // schema and semantic checks of a bundle, jrun check
            "state",      // the state store under --root
            "hooks",      // running OCI hooks
            "process",    // the fork and the child's program
            "container",  // one class per verb and the lifecycle table
            "features",   // what jrun reports about itself, from the tables below
            "shim",       // containerd's shim v2 over the container layer
            "cli");       // argument parsing and printing

    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?jrun\\.([a-z]\\w*)\\.");
    /** The whole package an import names: its lower-case segments, up to the first class. */
    private static final Pattern IMPORT_PACKAGE = Pattern.compile("^import\\s+(?:static\\s+)?(jrun(?:\\.[a-z]\\w*)+)\\.[A-Z]");
    private static final Pattern QUALIFIED = Pattern.compile("(?<![\\w.])jrun\\.([a-z]\\w*)\\.");

    record Edge(String file, int line, String from, String to, boolean inline) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + from + " -> " + to + (inline ? " (fully qualified name)" : "");
        }
    }

    @Test
    void noPackageUsesALayerAboveIt() throws IOException {
        List<String> upward = new ArrayList<>();
        for (Edge e : edges()) {
            if (LAYERS.indexOf(e.to()) > LAYERS.indexOf(e.from())) {
                upward.add(e.toString());
            }
        }
        assertEquals(List.of(), upward, "upward edges (order: " + LAYERS + ")");
    }

    @Test
    void everyPackageIsInALayer() throws IOException {
        List<String> unknown = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(MAIN.resolve("jrun"))) {
            dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
                    .filter(p -> !LAYERS.contains(p)).forEach(unknown::add);
        }
        assertEquals(List.of(), unknown, "packages missing from LAYERS");
    }

    @Test
    void noCyclesBetweenPackagesOrSubpackages() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN.resolve("jrun"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                addPackageEdges(Files.readString(f), graph);
            }
        }
        assertEquals(List.of(), cycles(graph), "packages that reach themselves through their imports");
    }

    @Test
    void findsACycleThroughASubpackage() {
        Map<String, Set<String>> graph = new TreeMap<>();
        addPackageEdges("package jrun.linux;\nimport jrun.linux.cgroups.CpuList;\n", graph);
        addPackageEdges("package jrun.linux.cgroups;\nimport jrun.sys.Sys;\n", graph);
        assertEquals(List.of(), cycles(graph));
        addPackageEdges("package jrun.linux.cgroups;\nimport static jrun.linux.HostFacts.live;\n", graph);
        assertEquals(List.of("jrun.linux -> jrun.linux.cgroups -> jrun.linux",
                "jrun.linux.cgroups -> jrun.linux -> jrun.linux.cgroups"), cycles(graph));
    }

    /** Adds the edges from {@code source}'s whole package (jrun.linux.cgroups, not linux) to those it imports. */
    static void addPackageEdges(String source, Map<String, Set<String>> graph) {
        String from = null;
        for (String line : withoutCommentsAndStrings(source).split("\n")) {
            line = line.strip();
            if (line.startsWith("package ")) {
                from = line.substring("package ".length()).replace(";", "").strip();
                graph.computeIfAbsent(from, k -> new TreeSet<>());
            }
            Matcher imp = IMPORT_PACKAGE.matcher(line);
            if (from != null && imp.find() && !imp.group(1).equals(from)) {
                graph.get(from).add(imp.group(1));
            }
        }
    }

    /** For each package that reaches itself, one shortest way round, as "a -> b -> a". */
    static List<String> cycles(Map<String, Set<String>> graph) {
        List<String> cycles = new ArrayList<>();
        for (String start : graph.keySet()) {
            Map<String, String> cameFrom = new HashMap<>();
            ArrayDeque<String> queue = new ArrayDeque<>(List.of(start));
            while (!queue.isEmpty()) {
                String at = queue.poll();
                if (graph.getOrDefault(at, Set.of()).contains(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String p = at; !p.equals(start); p = cameFrom.get(p)) {
                        path.add(1, p);
                    }
                    path.add(start);
                    cycles.add(String.join(" -> ", path));
                    break;
                }
                for (String next : graph.getOrDefault(at, Set.of())) {
                    if (!next.equals(start) && cameFrom.putIfAbsent(next, at) == null) {
                        queue.add(next);
                    }
                }
            }
        }
        return cycles;
    }

    @Test
    void otherPackagesAreImportedNotNamedInline() throws IOException {
        List<String> inline = new ArrayList<>();
        for (Edge e : edges()) {
            if (e.inline()) {
                inline.add(e.toString());
            }
        }
        assertEquals(List.of(), inline);
    }

    @Test
    void findsImportsAndQualifiedNamesButNotComments() {
        String source = """
                package jrun.state;

                import java.util.List;
                import jrun.cli.Main;
                import static jrun.linux.cgroups.Cgroups.of;

                /** See {@link jrun.process.ChildLauncher}. */
                class X { // jrun.hooks.HookRunner
                    Object o = jrun.container.Lifecycle.class;
                    String s = "jrun.features.Features";
                    Object same = jrun.state.StateStore.class;
                }
                """;
        assertEquals(List.of("X.java:4: state -> cli", "X.java:5: state -> linux",
                        "X.java:9: state -> container (fully qualified name)"),
                edges("X.java", source).stream().map(Edge::toString).toList());
    }

    @Test
    void baseImportsNothingOfJruns() throws IOException {
        for (Edge e : edges()) {
            assertTrue(!e.from().equals("base"), e.toString());
        }
    }

    private static List<Edge> edges() throws IOException {
        List<Edge> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN.resolve("jrun"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                all.addAll(edges(MAIN.relativize(f).toString(), Files.readString(f)));
            }
        }
        return all;
    }

    /** The edges from {@code source}'s package to other jrun packages, by line. */
    static List<Edge> edges(String file, String source) {
        String code = withoutCommentsAndStrings(source);
        String[] lines = code.split("\n", -1);
        String from = null;
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("package ")) {
                from = topPackage(line.substring("package ".length()));
                continue;
            }
            Matcher imp = IMPORT.matcher(line);
            if (imp.find()) {
                if (!imp.group(1).equals(from)) {
                    edges.add(new Edge(file, i + 1, from, imp.group(1), false));
                }
                continue;
            }
            Matcher q = QUALIFIED.matcher(line);
            while (q.find()) {
                if (!q.group(1).equals(from)) {
                    edges.add(new Edge(file, i + 1, from, q.group(1), true));
                }
            }
        }
        return edges;
    }

    private static String topPackage(String qualified) {
        String[] parts = qualified.replace(";", "").strip().split("\\.");
        return parts.length > 1 ? parts[1] : "";
    }

    /** Comments, string and char literals blanked out, line breaks kept (for line numbers). */
    static String withoutCommentsAndStrings(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? s.length() : end + 2;
                blank(s, i, end, out);
                i = end;
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                end = end < 0 ? s.length() : end + 3;
                blank(s, i, end, out);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != c && s.charAt(j) != '\n') {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                int end = Math.min(s.length(), j + 1);
                blank(s, i, end, out);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(String s, int from, int to, StringBuilder out) {
        for (int k = from; k < to; k++) {
            out.append(s.charAt(k) == '\n' ? '\n' : ' ');
        }
    }
}
