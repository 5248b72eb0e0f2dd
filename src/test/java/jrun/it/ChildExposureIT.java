package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jrun.linux.seccomp.HardeningBundles;
import jrun.sys.Arch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 16, items 1 and 4: nothing of the host is reachable through jrun's forked child once a
 * process of the container can see it. Until its execve the child is a copy of jrun's JVM, so
 * its /proc/PID shows the host's java (exe), jrun's jars and the JDK's modules (fd, map_files),
 * jrun's working directory and root (cwd, root), jrun's command line and environment. A
 * container that holds CAP_SYS_PTRACE passes the ptrace access checks that non-dumpability
 * puts in front of most of these; cmdline is readable by anyone.
 *
 * <p>The probe (conformance/escapes/probe.c) does what an attacker in the container does:
 * {@code peek PID} tries every one of them on a process, {@code hunt} peeks at each process
 * as soon as it appears in the pid namespace. Each test runs with and without CAP_SYS_PTRACE in
 * the container, and with it in a user namespace; jrun runs with a secret in its environment
 * and from a working directory holding a marker file.
 */
class ChildExposureIT {
    private static final Set<String> PTRACE_SETS = Set.of("bounding", "effective", "permitted");

    @TempDir
    Path tmp;

    private final String secret = "JRUN_IT_SECRET=" + UUID.randomUUID();
    private final String marker = "HOST-MARKER-" + UUID.randomUUID();

    @BeforeAll
    static void x86_64() {
        assumeTrue(Arch.current() == Arch.X86_64, "the probe's system call numbers are x86_64's");
    }

    private Jrun jrun() {
        return new Jrun(tmp.resolve("root"));
    }

    /** jrun with the secret in its environment, started in the directory holding the marker. */
    private Jrun.Result jrunAsCaller(String... args) throws IOException {
        Path cwd = Files.createDirectories(tmp.resolve("caller-cwd"));
        Files.writeString(cwd.resolve(marker), "host\n");
        List<String> cmd = new ArrayList<>(List.of("env", secret));
        cmd.addAll(Jrun.launcher());
        cmd.add("--root");
        cmd.add(tmp.resolve("root").toString());
        cmd.addAll(List.of(args));
        return Jrun.exec(cmd, cwd, 180);
    }

    /**
     * @param mode "ptrace": the container holds CAP_SYS_PTRACE; "admin+ptrace": CAP_SYS_ADMIN
     *             too, which opens /proc/PID/map_files (a privileged container); "userns+ptrace":
     *             CAP_SYS_PTRACE in a user namespace of its own (root is host uid 100000);
     *             "plain": runc's defaults
     */
    private Path bundle(String name, String mode, String... args) throws IOException {
        if (mode.startsWith("userns")) {
            // the mapped root must reach the rootfs (JUnit's temporary directory is 0700)
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return HardeningBundles.runcDefault(tmp.resolve(name), List.of(args), c -> {
            if (mode.contains("ptrace")) {
                ObjectNode caps = (ObjectNode) c.get("process").get("capabilities");
                for (String set : PTRACE_SETS) {
                    ((ArrayNode) caps.get(set)).add("CAP_SYS_PTRACE");
                    if (mode.startsWith("admin")) {
                        ((ArrayNode) caps.get(set)).add("CAP_SYS_ADMIN");
                    }
                }
            }
            if (mode.startsWith("userns")) {
                // cgroup v1 hierarchies cannot be mounted from a user namespace
                ArrayNode mounts = (ArrayNode) c.get("mounts");
                for (int i = mounts.size() - 1; i >= 0; i--) {
                    if (mounts.get(i).path("type").asString().equals("cgroup")) {
                        mounts.remove(i);
                    }
                }
                ObjectNode linux = (ObjectNode) c.get("linux");
                ((ArrayNode) linux.get("namespaces")).addObject().put("type", "user");
                for (String map : List.of("uidMappings", "gidMappings")) {
                    linux.putArray(map).addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
                }
            }
        });
    }

    /**
     * The init between create and start, as a process exec'd into the container sees it (the
     * exec'd process is the probe, with the container's capabilities).
     */
    @ParameterizedTest(name = "container: {0}")
    @ValueSource(strings = {"ptrace", "admin+ptrace", "plain", "userns+ptrace"})
    void theCreatedInitShowsNothingOfTheHost(String mode) throws Exception {
        Path bundle = bundle("b", mode, "true");
        String id = "exposure-init-" + mode.replace('+', '-');
        jrunAsCaller("create", "-b", bundle.toString(), "--pid-file", tmp.resolve("pid").toString(), id).ok();
        try {
            Jrun.Result peek = jrunAsCaller("exec", id, "probe", "peek", "1").ok();
            assertNothingOfTheHost(peek.stdout(), bundle.resolve("rootfs"), Set.of("1"));
            if (mode.startsWith("admin")) {
                assertTrue(peek.stdout().contains("/memfd:jrun-mapped (deleted) dev="),
                        "the init's map_files opened, and show the sealed copies: " + peek.stdout());
            }
            assertTrue(peek.stdout().contains("1 cmdline read=0 jrun|init|\n"), "the init's command line: " + peek.stdout());
            // In a user namespace of the container's own, the init's memory still belongs to the
            // host's (it is jrun's, copied): CAP_SYS_PTRACE there does not reach it.
            boolean reaches = mode.endsWith("ptrace") && !mode.startsWith("userns");
            assertTrue(peek.stdout().contains("1 environ " + (reaches ? "read=0 \n" : "open=13\n")),
                    "the init's environment: " + peek.stdout());
            // The init's memory, a copy of jrun's JVM: the caller's environment is not in it
            // (jrun.base.Environment), nor its original environment block (JvmTraces).
            String secretValue = secret.substring(secret.indexOf('=') + 1);
            Jrun.Result mem = jrunAsCaller("exec", id, "probe", "memgrep", "1", secretValue).ok();
            assertTrue(mem.stdout().startsWith(reaches ? "1 memgrep found=0\n" : "1 memgrep open=13\n"),
                    "the caller's secret in the init's memory: " + mem.stdout());
            jrun().run("start", id).ok();
        } finally {
            jrun().run("delete", "-f", id);
        }
    }

    /**
     * exec's child, watched by a container that looks at every process as soon as it appears
     * in its pid namespace while {@code jrun exec} brings processes in.
     */
    @ParameterizedTest(name = "container: {0}")
    @ValueSource(strings = {"ptrace", "plain", "userns+ptrace"})
    void execsChildIsNeverSeenAsACopyOfJrun(String mode) throws Exception {
        huntExecs(mode, 15);
    }

    /**
     * A privileged container (CAP_SYS_ADMIN and CAP_SYS_PTRACE, no user namespace) hunting
     * exec's children for the host files jrun's JVM maps: it can open /proc/PID/map_files, so
     * before its execve each child must map none (libjvm.so, libc, lib/modules, the AOT cache
     * would open read-write), only sealed copies. A child is visible for a short while only:
     * of 40 execs, the hunter must have caught at least one before its execve.
     */
    @org.junit.jupiter.api.Test
    void aPrivilegedContainerOpensNoHostFileThroughExecsChildMapFiles() throws Exception {
        assertCaughtBeforeExecve(huntExecs("admin+ptrace", 40).stdout());
    }

    /** A container in {@code mode} hunting while {@code execs} execs come in; asserts it saw nothing of the host. */
    private Jrun.Result huntExecs(String mode, int execs) throws Exception {
        Path bundle = bundle("b", mode, "probe", "hunt", "/tmp/stop");
        Path rootfs = bundle.resolve("rootfs");
        String id = "exposure-exec-" + mode.replace('+', '-');
        CompletableFuture<Jrun.Result> hunter = CompletableFuture.supplyAsync(
                () -> jrun().run("run", "-b", bundle.toString(), id));
        try {
            waitRunning(id);
            for (int i = 0; i < execs; i++) {
                jrunAsCaller("exec", id, "true").ok();
            }
        } finally {
            Files.writeString(rootfs.resolve("tmp/stop"), "");
        }
        Jrun.Result hunt = hunter.get();
        assertTheHunterSawNothingOfTheHost(hunt, rootfs);
        return hunt;
    }

    /**
     * A second container's init joining the hunter's pid namespace by path (as a pod's
     * containers share one), watched from its first appearance there while {@code jrun run}
     * creates it: it appears only once set up, with the container's identity, and its /proc
     * still shows the namespace it joined.
     */
    @ParameterizedTest(name = "hunter: {0}")
    @ValueSource(strings = {"ptrace", "admin+ptrace"})
    void anInitJoiningAPidNamespaceIsNeverSeenAsACopyOfJrun(String mode) throws Exception {
        Path bundle = bundle("hunter", mode, "probe", "hunt", "/tmp/stop");
        Path rootfs = bundle.resolve("rootfs");
        String id = "exposure-join-hunter";
        CompletableFuture<Jrun.Result> hunter = CompletableFuture.supplyAsync(
                () -> jrun().run("run", "-b", bundle.toString(), id));
        try {
            waitRunning(id);
            java.util.regex.Matcher pid = java.util.regex.Pattern.compile("\"pid\": *(\\d+)")
                    .matcher(jrun().run("state", id).ok().stdout());
            assertTrue(pid.find(), "the hunter's pid");
            Path joiner = bundle("joiner", "plain", "cat", "/proc/1/cmdline");
            ObjectNode config = HardeningBundles.config(joiner);
            for (tools.jackson.databind.JsonNode ns : config.get("linux").get("namespaces")) {
                if (ns.get("type").asString().equals("pid")) {
                    ((ObjectNode) ns).put("path", "/proc/" + pid.group(1) + "/ns/pid");
                }
            }
            HardeningBundles.write(joiner, config);
            for (int i = 0; i < 10; i++) {
                Jrun.Result joined = jrunAsCaller("run", "-b", joiner.toString(), "exposure-join-" + i).ok();
                assertEquals("probe\0hunt\0/tmp/stop\0", joined.stdout(), "the joiner's /proc/1 is the hunter");
            }
        } finally {
            Files.writeString(rootfs.resolve("tmp/stop"), "");
        }
        Jrun.Result hunt = hunter.get();
        assertTheHunterSawNothingOfTheHost(hunt, rootfs);
        if (mode.startsWith("admin")) {
            assertCaughtBeforeExecve(hunt.stdout());
        }
    }

    /**
     * A created init that no process could reach when it was made keeps the host's files mapped
     * until start (replacing them costs every JVM a copy). A process given CAP_SYS_PTRACE and
     * CAP_SYS_ADMIN that comes into its pid namespace meanwhile, by exec or as a second
     * container's init joining it, could open them read-write through its map_files: on the code
     * before, both opened the host's libjvm.so read-write. Now both are refused, naming why, and
     * leave nothing; once started (the init is the container's own program), the same exec runs.
     */
    @org.junit.jupiter.api.Test
    void aPtracingNewcomerIsRefusedWhileACreatedInitKeepsTheHostsFiles() throws Exception {
        Path bundle = bundle("created", "plain", "sleep", "60");
        String id = "exposure-created";
        jrunAsCaller("create", "-b", bundle.toString(), "--pid-file", tmp.resolve("pid").toString(), id).ok();
        try {
            String initPid = Files.readString(tmp.resolve("pid")).strip();
            String why = "is still a child of jrun's that maps the host's files";
            Jrun.Result exec = jrunAsCaller("exec", "--cap", "CAP_SYS_PTRACE", "--cap", "CAP_SYS_ADMIN", id,
                    "probe", "peek", "1");
            assertNotEquals(0, exec.exit(), "a privileged exec into the created container: " + exec.stdout());
            assertTrue(exec.stderr().contains(why), exec.stderr());
            assertFalse(exec.stdout().contains(" map_files "), "nothing ran: " + exec.stdout());

            Path joiner = bundle("joiner", "admin+ptrace", "probe", "peek", "1");
            ObjectNode config = HardeningBundles.config(joiner);
            for (tools.jackson.databind.JsonNode ns : config.get("linux").get("namespaces")) {
                if (ns.get("type").asString().equals("pid")) {
                    ((ObjectNode) ns).put("path", "/proc/" + initPid + "/ns/pid");
                }
            }
            HardeningBundles.write(joiner, config);
            Jrun.Result join = jrunAsCaller("run", "-b", joiner.toString(), "exposure-created-joiner");
            assertNotEquals(0, join.exit(), "a privileged container joining the created init's pid namespace: "
                    + join.stdout());
            assertTrue(join.stderr().contains("config.json /linux/namespaces") && join.stderr().contains(why),
                    join.stderr());
            assertFalse(jrun().run("list").ok().stdout().contains("exposure-created-joiner"), "the joiner left nothing");

            jrun().run("start", id).ok();
            jrunAsCaller("exec", "--cap", "CAP_SYS_PTRACE", "--cap", "CAP_SYS_ADMIN", id, "true").ok();
        } finally {
            jrun().run("delete", "-f", id);
        }
    }

    /**
     * The hunter opened the map_files of at least one of jrun's children before its execve
     * (they show the sealed copies then): else it proved nothing.
     */
    private static void assertCaughtBeforeExecve(String report) {
        assertTrue(report.lines().anyMatch(l -> l.contains(" map_files ") && l.contains("/memfd:jrun-mapped (deleted) dev=")
                && l.endsWith(" open=0")), "the hunter caught none of jrun's children before its execve: " + report);
    }

    /** What {@code probe hunt} saw, in a container holding CAP_SYS_PTRACE or not. */
    private void assertTheHunterSawNothingOfTheHost(Jrun.Result hunt, Path rootfs) throws IOException {
        hunt.ok();
        assertTrue(hunt.stdout().contains("hunt done"), hunt.stdout() + hunt.stderr());
        assertTrue(hunt.stdout().lines().anyMatch(l -> l.matches("\\d+ cmdline .*")), "the hunter saw the newcomers: "
                + hunt.stdout());
        assertNothingOfTheHost(hunt.stdout(), rootfs, Set.of());
        String selfCaps = hunt.stdout().lines().filter(l -> l.startsWith("self caps ")).findFirst().orElseThrow();
        long containerCaps = Long.parseUnsignedLong(selfCaps.substring("self caps ".length()).strip(), 16);
        for (String l : hunt.stdout().lines().filter(l -> l.contains(" caps-seized ")).toList()) {
            long caps = Long.parseUnsignedLong(l.substring(l.indexOf("caps-seized ") + 12).strip(), 16);
            assertEquals(0, caps & ~containerCaps, "seized a process holding more than the container's capabilities: " + l);
        }
    }

    /**
     * No line of the probe's report shows the host: no entry of the caller's working directory
     * or of the host's / (names the container's rootfs lacks) listed through cwd or root; no
     * file of the JDK, of jrun or of the host's /proc reachable as exe, fd or mapped file (fds
     * 0-2 are the caller's stdio, handed over on purpose); no jrun command line or environment.
     */
    private void assertNothingOfTheHost(String report, Path rootfs, Set<String> pids) throws IOException {
        Set<String> hostOnly;
        try (Stream<Path> host = Files.list(Path.of("/")); Stream<Path> container = Files.list(rootfs)) {
            Set<String> inContainer = container.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            hostOnly = host.map(p -> p.getFileName().toString()).filter(n -> !inContainer.contains(n))
                    .collect(Collectors.toSet());
        }
        String javaHome = Path.of(System.getProperty("java.home")).toRealPath().toString();
        String jrunHome = Jrun.home().toRealPath().toString();
        List<String> exposed = new ArrayList<>();
        for (String line : report.lines().toList()) {
            String[] w = line.split(" ", 4);
            if (w.length < 3 || (!pids.isEmpty() && !pids.contains(w[0]))) {
                continue;
            }
            boolean bad = switch (w[1]) {
                case "cwd-entry", "root-entry" -> w[2].equals(marker) || hostOnly.contains(w[2]);
                case "exe" -> line.contains(javaHome) || line.contains("/bin/java");
                // a directory of the host's /proc leads up to every host process's root
                case "fd" -> !List.of("0", "1", "2").contains(w[2]) && line.endsWith(" open=0")
                        && (line.contains(javaHome) || line.contains(jrunHome) || line.contains(tmp.toString())
                        || line.contains(" -> /proc/"));
                // the same file as one of the host's (the probe's dev and ino); the container's
                // own processes map files of its rootfs, jrun's children sealed memfds
                case "map_files" -> line.endsWith(" open=0") && (fileId(line).isEmpty()
                        || HOST_FILES.contains(fileId(line)));
                case "cmdline", "environ" -> line.contains("--root") || line.contains(tmp.toString())
                        || line.contains(secret) || line.contains("jrun.cli.Main");
                default -> false;
            };
            if (bad) {
                exposed.add(line);
            }
        }
        assertEquals(List.of(), exposed, "the host through jrun's child");
    }

    /** The host files jrun's JVM maps (the JDK, jrun's jar and AOT caches, the system's libraries) as "dev ino". */
    private static final Set<String> HOST_FILES = hostFiles();

    private static Set<String> hostFiles() {
        Set<String> ids = new java.util.HashSet<>();
        for (Path dir : List.of(Path.of(System.getProperty("java.home")), Jrun.home().resolve("target"),
                Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/usr/lib/locale"))) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    ids.add(Files.getAttribute(f, "unix:dev") + " " + Files.getAttribute(f, "unix:ino"));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return ids;
    }

    /** "dev ino" of a map_files line of the probe's, or "" without them. */
    private static String fileId(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" dev=(\\d+) ino=(\\d+) ").matcher(line);
        return m.find() ? m.group(1) + " " + m.group(2) : "";
    }

    private void waitRunning(String id) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (jrun().run("state", id).stdout().contains("\"running\"")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(id + " did not start");
    }
}
