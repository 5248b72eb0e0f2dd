package jrun.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * bin/child-path.compilecommands keeps the JIT away from the forked child: the methods the child
 * runs (found by {@link ChildPathProbe}, with the JVM reporting every call to the compilation
 * policy) are all listed, and with the file none of them ever reports to the policy, in a JVM
 * with the JIT on that runs the child's path thousands of times.
 */
class ChildPathTest {
    private static final Path COMMANDS =
            Path.of(System.getProperty("jrun.home", ".")).resolve("bin/child-path.compilecommands");
    /** A PrintTieredEvents line: "[call level=0 [java.lang.Foo.bar(I)V] ..." (and an inlinee's). */
    private static final Pattern EVENT = Pattern.compile("^[0-9.]+: \\[(\\w+) level=\\d \\[([^ \\]]+)\\](?: \\[([^ \\]]+)\\])?");
    private static final String BEGIN = "jrun.process.ChildPathProbe.begin()V";
    private static final String END = "jrun.process.ChildPathProbe.end()V";
    /** The probe's own loops around the child's path. */
    private static final List<String> HARNESS =
            List.of("jrun.process.ChildLauncher.runChildPath(", "jrun.process.ChildPathProbe.");

    @Test
    void everyMethodTheChildRunsIsListed() throws Exception {
        List<String[]> events = probe(1, "-XX:CompileCommand=quiet", "-XX:CompileCommand=exclude,*.*",
                "-XX:Tier0InvokeNotifyFreqLog=0", "-XX:Tier0BackedgeNotifyFreqLog=0");
        Set<String> childPath = childPath(events);
        assertTrue(childPath.contains("jrun.process.ChildInterpreter.run([J[JLjava/lang/foreign/MemorySegment;JJJJ)I"),
                "the probe saw the child's interpreter: " + childPath);
        List<String> patterns = patterns();
        List<String> missing = new ArrayList<>();
        for (String method : childPath) {
            if (!listed(method, patterns)) {
                missing.add(method);
            }
        }
        assertEquals(List.of(), missing, "methods of the child's path missing from " + COMMANDS);
    }

    @Test
    void noListedMethodEverReportsToTheCompilationPolicy() throws Exception {
        List<String> patterns = patterns();
        // Without the file the same run reports the child's methods (and compiles them): the check can fail.
        assertFalse(listedEvents(probe(2000), patterns).isEmpty(), "without the file the child's path reports");
        assertEquals(List.of(), listedEvents(probe(2000, "-XX:CompileCommandFile=" + COMMANDS), patterns),
                "events of the child's methods with " + COMMANDS);
    }

    /** Events (call, loop, compile) naming a listed method, as method or inlinee, anywhere in the run. */
    private static List<String> listedEvents(List<String[]> events, List<String> patterns) {
        List<String> out = new ArrayList<>();
        for (String[] e : events) {
            if (listed(e[1], patterns) || (e[2] != null && listed(e[2], patterns))) {
                out.add(String.join(" ", e[0], e[1], e[2] == null ? "" : e[2]));
            }
        }
        return out;
    }

    /** The methods of the events between the probe's last begin marker and its first end marker. */
    private static Set<String> childPath(List<String[]> events) {
        int begin = -1;
        int end = -1;
        for (int i = 0; i < events.size() && end < 0; i++) {
            if (events.get(i)[1].equals(BEGIN)) {
                begin = i;
            } else if (events.get(i)[1].equals(END)) {
                end = i;
            }
        }
        assertTrue(begin >= 0 && end > begin, "the probe's markers were reported");
        Set<String> methods = new TreeSet<>();
        for (String[] e : events.subList(begin + 1, end)) {
            if (!e[1].startsWith(HARNESS.get(0)) && !e[1].startsWith(HARNESS.get(1))) {
                methods.add(e[1]);
            }
        }
        return methods;
    }

    /** The file's patterns, {@code package/Class.method(signature)} (the class may end in *). */
    private static List<String> patterns() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(COMMANDS)) {
            if (line.startsWith("CompileThresholdScaling,")) {
                out.add(line.split(",")[1]);
            }
        }
        return out;
    }

    /** Whether a reported method ({@code java.lang.Foo$Bar/0x1.name(sig)}) matches one of the patterns. */
    static boolean listed(String method, List<String> patterns) {
        int paren = method.indexOf('(');
        int dot = method.lastIndexOf('.', paren);
        String cls = method.substring(0, dot).replace('.', '/');
        String nameAndSignature = method.substring(dot + 1);
        for (String p : patterns) {
            int pParen = p.indexOf('(');
            int pDot = p.lastIndexOf('.', pParen);
            String pCls = p.substring(0, pDot);
            boolean classMatches = pCls.endsWith("*") ? cls.startsWith(pCls.substring(0, pCls.length() - 1))
                    : cls.equals(pCls);
            if (classMatches && p.substring(pDot + 1).equals(nameAndSignature)) {
                return true;
            }
        }
        return false;
    }

    /** Runs the probe in a JVM with the shim's rules for the child and {@code flags}; returns its events. */
    private static List<String[]> probe(int rounds, String... flags) throws IOException, InterruptedException,
            URISyntaxException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UnlockDiagnosticVMOptions",
                "-XX:GuaranteedSafepointInterval=0", "-Djava.lang.invoke.MethodHandle.CUSTOMIZE_THRESHOLD=-1",
                "-XX:+UseSerialGC", "-XX:+PrintTieredEvents"));
        command.addAll(List.of(flags));
        command.addAll(List.of("-cp", location(ChildLauncher.class) + ":" + location(ChildPathProbe.class),
                ChildPathProbe.class.getName(), Integer.toString(rounds)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out.length() > 2000 ? out.substring(out.length() - 2000) : out);
        List<String[]> events = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher m = EVENT.matcher(line);
            if (m.find()) {
                events.add(new String[] {m.group(1), m.group(2), m.group(3)});
            }
        }
        return events;
    }

    private static String location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
