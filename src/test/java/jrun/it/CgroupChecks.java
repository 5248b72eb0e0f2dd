package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import jrun.linux.cgroups.CgroupHost;
import jrun.linux.cgroups.CgroupMode;
import jrun.linux.cgroups.CpuList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The resource-limit checks of issue 4, written once and run on whatever cgroups the machine
 * has: by {@link CgroupHostIT} on this host (v1 or hybrid here), with jrun started as a process
 * per command, and by {@link CgroupV2Suite} inside a VM with pure cgroup v2, where a JVM start
 * costs half a minute and jrun's commands therefore run in one JVM ({@link Driver}).
 *
 * <p>Containers write what they see to {@code /out}, a directory of the test bind-mounted into
 * them, so that the checks do not depend on where a container's standard output goes. Every
 * container's cgroup is below one parent of this run ({@code /jrun-it-<uuid>}), so that what
 * jrun leaves behind is seen exactly, and removed by {@link #close}.
 */
final class CgroupChecks implements AutoCloseable {
    /** Runs one jrun command with {@code --root root}. */
    interface Driver {
        Jrun.Result jrun(Path root, String... args);

        /** Whether commands run as processes of their own, so one can run in the background. */
        boolean separateProcesses();
    }

    /** jrun as engines run it: a process per command. */
    static Driver processes() {
        return new Driver() {
            @Override
            public Jrun.Result jrun(Path root, String... args) {
                return new Jrun(root).run(args);
            }

            @Override
            public boolean separateProcesses() {
                return true;
            }
        };
    }

    /**
     * jrun's {@code Main.run} in this JVM, which must run with bin/jrun's JVM flags (it forks).
     * A container's init is then this JVM's child: after {@code delete} it is reaped here, as
     * the caller's subreaper would reap it.
     */
    static Driver inProcess() {
        return new Driver() {
            @Override
            public Jrun.Result jrun(Path root, String... args) {
                int pid = args.length > 0 && args[0].equals("delete") ? initPid(root, args[args.length - 1]) : 0;
                jrun.state.CliRun.Result r = jrun.state.CliRun.jrun(root, args);
                if (pid > 0) {
                    jrun.sys.Sys.attempt(jrun.sys.SyscallNr.WAIT4, pid, 0, 1 /* WNOHANG */, 0);
                }
                return new Jrun.Result(r.exitCode(), r.out(), r.err());
            }

            private int initPid(Path root, String id) {
                jrun.state.CliRun.Result state = jrun.state.CliRun.jrun(root, "state", id);
                return state.exitCode() == 0 ? Bundles.parse(state.out()).get("pid").asInt() : 0;
            }

            @Override
            public boolean separateProcesses() {
                return false;
            }
        };
    }

    private static final long MIB = 1 << 20;
    /** awk doubling a string to 2^n bytes; its peak is about 1.5 times that. */
    private static final String ALLOCATE = "awk 'BEGIN { s = \"x\"; while (length(s) < %d) s = s s; print length(s) }'";

    private final Sandbox sandbox;
    private final Driver driver;
    private final CgroupHost host = CgroupHost.detect();
    private final String parent = "/jrun-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final Path out;

    CgroupChecks(Path dir, Driver driver) throws IOException {
        this.sandbox = new Sandbox(dir);
        this.driver = driver;
        this.out = Files.createDirectories(dir.resolve("out"));
    }

    CgroupMode mode() {
        return host.mode();
    }

    Path stateRoot() {
        return sandbox.jrun().root();
    }

    // ---- the checks ----

    /** 32 MiB of memory, 64 MiB allocated: the OOM killer ends it, and jrun says so. */
    void oomKillIsReported() throws IOException {
        Path bundle = bundle(List.of("sh", "-c", "exec " + ALLOCATE.formatted(64 * MIB)), "oom",
                c -> memory(c, 32 * MIB));
        Jrun.Result run = jrun("run", "--keep", "-b", bundle.toString(), "oom");
        assertEquals(137, run.exit(), "the container should be OOM-killed: " + run.stderr() + run.stdout());
        assertEquals("stopped", status("oom"));
        assertEquals("{\"type\":\"oom\",\"id\":\"oom\"}\n", jrun("events", "oom").ok().stdout());
        assertTrue(Files.isDirectory(cgroupDir("memory", "oom")));
        jrun("delete", "oom").ok();
        assertNoCgroup("oom");
    }

    /** pids.limit 10: a fork bomb is stopped when the container holds 10 processes. */
    void pidsLimitStopsAForkBomb() throws IOException {
        // The bomb is a child shell: pid 1 plus it plus 8 sleeps make 10, the next fork fails
        // and the bomb exits, leaving 9.
        Path bundle = bundle(List.of("sh", "-c", "sh -c 'while :; do sleep 1000 & done' 2>/out/bomb.err; "
                + "echo stopped > /out/bomb; exec sleep 1000"), "bomb", c -> resources(c).putObject("pids").put("limit", 10));
        jrun("create", "-b", bundle.toString(), "bomb").ok();
        jrun("start", "bomb").ok();
        waitFor(() -> Files.exists(out.resolve("bomb")), 60, "the fork bomb to stop");
        assertTrue(Files.readString(out.resolve("bomb.err")).contains("can't fork"), Files.readString(out.resolve("bomb.err")));
        JsonNode pids = Bundles.parse(jrun("ps", "--format", "json", "bomb").ok().stdout());
        assertEquals(9, pids.size(), pids.toString());
        Path dir = cgroupDir("pids", "bomb");
        assertEquals("9", Files.readString(dir.resolve("pids.current")).strip());
        if (Files.exists(dir.resolve("pids.peak"))) {
            assertEquals("10", Files.readString(dir.resolve("pids.peak")).strip());
        }
        jrun("delete", "--force", "bomb").ok();
        assertEquals(List.of(), Leftovers.processesWithEnv(sandbox.marker()), "processes left by delete --force");
        assertNoCgroup("bomb");
    }

    /** A quota of 20 ms per 100 ms holds a busy loop to about 20% of a CPU. */
    void cpuQuotaHoldsABusyLoop() throws IOException {
        Path bundle = bundle(List.of("sh", "-c", "while :; do :; done"), "busy", c -> {
            ObjectNode cpu = resources(c).putObject("cpu");
            cpu.put("quota", 20000);
            cpu.put("period", 100000);
        });
        jrun("create", "-b", bundle.toString(), "busy").ok();
        jrun("start", "busy").ok();
        try {
            sleep(500);
            long u0 = cpuNanos("busy");
            long t0 = System.nanoTime();
            sleep(3000);
            double share = (double) (cpuNanos("busy") - u0) / (System.nanoTime() - t0);
            // Generous: 30% would be half again the quota; the lower bound only proves that the
            // loop ran (a loaded host can starve a VM's virtual CPU well below the quota).
            assertTrue(share > 0.05 && share < 0.30, "the busy loop used " + Math.round(share * 100) + "% of a CPU");
            JsonNode stats = Bundles.parse(jrun("events", "--stats", "busy").ok().stdout()).get("data");
            assertTrue(stats.get("cpu").get("usage").get("total").asLong() > 0, stats.toString());
            assertTrue(stats.get("cpu").get("throttling").get("throttledPeriods").asLong() > 0, stats.toString());
        } finally {
            jrun("delete", "--force", "busy").ok();
        }
        assertNoCgroup("busy");
    }

    /** cpu.cpus pins the container's processes to the CPU given. */
    void cpusetPins() throws IOException {
        BitSet online = CpuList.parse(Files.readString(Path.of("/sys/devices/system/cpu/online")));
        String last = Integer.toString(online.length() - 1);
        Path bundle = bundle(List.of("sh", "-c", "grep Cpus_allowed_list /proc/self/status > /out/cpus"), "pinned",
                c -> resources(c).putObject("cpu").put("cpus", last));
        jrun("run", "-b", bundle.toString(), "pinned").ok();
        assertEquals("Cpus_allowed_list:\t" + last, Files.readString(out.resolve("cpus")).strip());
        assertNoCgroup("pinned");
    }

    /** A rule denying writes to /dev/null is enforced; without it the write works. */
    void deviceRuleDeniesDevNullWrites() throws IOException {
        String script = "{ echo x > /dev/null && echo null-write=ok || echo null-write=denied; "
                + "echo zero=$(head -c 4 /dev/zero | wc -c); } > /out/%s 2>&1";
        Path allowed = bundle(List.of("sh", "-c", script.formatted("allowed")), "devok", c -> { });
        jrun("run", "-b", allowed.toString(), "devok").ok();
        assertEquals("null-write=ok\nzero=4\n", Files.readString(out.resolve("allowed")));
        Path denied = bundle(List.of("sh", "-c", script.formatted("denied")), "devdeny", c -> {
            ObjectNode rule = resources(c).withArray("devices").addObject();
            rule.put("allow", false);
            rule.put("type", "c");
            rule.put("major", 1);
            rule.put("minor", 3);
            rule.put("access", "w");
        });
        jrun("run", "-b", denied.toString(), "devdeny").ok();
        assertEquals("sh: can't create /dev/null: Operation not permitted\nnull-write=denied\nzero=4\n",
                Files.readString(out.resolve("denied")));
    }

    /**
     * {@code update} lowers the memory limit of a running container from 128 to 32 MiB; the
     * 48 MiB it then allocates get it OOM-killed, which it would survive under the old limit.
     */
    void updateLowersTheMemoryLimit() throws Exception {
        Path bundle = bundle(List.of("sh", "-c", "while [ ! -e /out/go ]; do sleep 0.1; done; "
                + ALLOCATE.formatted(32 * MIB) + " && echo survived > /out/survived"), "upd", c -> memory(c, 128 * MIB));
        jrun("create", "-b", bundle.toString(), "upd").ok();
        jrun("start", "upd").ok();
        Process events = driver.separateProcesses() ? background("events", "--interval", "1s", "upd") : null;
        try {
            jrun("update", "--memory", "32m", "--memory-swap", "32m", "upd").ok();
            Path dir = cgroupDir("memory", "upd");
            String limitFile = mode() == CgroupMode.V2 ? "memory.max" : "memory.limit_in_bytes";
            assertEquals(Long.toString(32 * MIB), Files.readString(dir.resolve(limitFile)).strip());
            Files.writeString(out.resolve("go"), "");
            waitFor(() -> status("upd").equals("stopped"), 60, "the container to stop");
            assertFalse(Files.exists(out.resolve("survived")), "the allocation survived the new limit");
            assertEquals("{\"type\":\"oom\",\"id\":\"upd\"}\n", jrun("events", "upd").ok().stdout());
            if (events != null) {
                assertTrue(events.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "events did not end with the container");
                String stream = new String(events.getInputStream().readAllBytes());
                assertTrue(stream.contains("{\"type\":\"oom\",\"id\":\"upd\"}"), "events stream: " + stream);
            }
        } finally {
            if (events != null) {
                events.destroyForcibly();
            }
            jrun("delete", "--force", "upd").ok();
        }
        assertNoCgroup("upd");
    }

    /**
     * A child of the init OOM-killed while the init lives on: a running {@code jrun events} prints
     * it as it happens (the kernel's OOM notice wakes it; its stats interval is an hour), and ends
     * once the container is killed. Needs a separate events process.
     */
    void eventsReportAChildsOomKillAsItHappens() throws Exception {
        Path bundle = bundle(List.of("sh", "-c", "while [ ! -e /out/go ]; do sleep 0.05; done; "
                + ALLOCATE.formatted(64 * MIB) + "; echo child-killed > /out/child; exec sleep 1000"), "oomchild",
                c -> memory(c, 32 * MIB));
        jrun("create", "-b", bundle.toString(), "oomchild").ok();
        jrun("start", "oomchild").ok();
        Process events = background("events", "--interval", "1h", "oomchild");
        try {
            java.io.BufferedReader lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(events.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            java.util.concurrent.CompletableFuture<String> first =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> readLine(lines));
            Thread.sleep(500); // events watches before the allocation starts
            Files.writeString(out.resolve("go"), "");
            assertEquals("{\"type\":\"oom\",\"id\":\"oomchild\"}",
                    first.get(30, java.util.concurrent.TimeUnit.SECONDS));
            waitFor(() -> Files.exists(out.resolve("child")), 30, "the init to see its child killed");
            assertEquals("running", status("oomchild"));
            assertTrue(events.isAlive(), "events ended while the container runs");
            jrun("kill", "oomchild", "KILL").ok();
            assertTrue(events.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "events did not end with the container");
            assertEquals(0, events.exitValue());
            assertEquals(null, readLine(lines), "nothing after the one OOM kill");
        } finally {
            events.destroyForcibly();
            jrun("delete", "--force", "oomchild").ok();
        }
        assertNoCgroup("oomchild");
    }

    private static String readLine(java.io.BufferedReader r) {
        try {
            return r.readLine();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** pause stops a counter, state says paused; resume lets it count again. */
    void pauseFreezesAndResumeContinues() throws IOException {
        Path bundle = bundle(List.of("sh", "-c", "i=0; while :; do i=$((i+1)); echo $i > /out/count.tmp; "
                + "mv /out/count.tmp /out/count; sleep 0.05; done"), "counter", c -> { });
        jrun("create", "-b", bundle.toString(), "counter").ok();
        jrun("start", "counter").ok();
        try {
            waitFor(() -> count() > 2, 60, "the counter to count");
            jrun("pause", "counter").ok();
            assertEquals("paused", status("counter"));
            long frozen = count();
            sleep(1000);
            assertEquals(frozen, count(), "the counter advanced while paused");
            assertNotEquals(0, jrun("start", "counter").exit());
            jrun("resume", "counter").ok();
            assertEquals("running", status("counter"));
            waitFor(() -> count() > frozen + 2, 60, "the counter to count again");
            // A paused container is deleted too: its frozen processes are killed and thawed to die.
            jrun("pause", "counter").ok();
        } finally {
            jrun("delete", "--force", "counter").ok();
        }
        assertEquals(List.of(), Leftovers.processesWithEnv(sandbox.marker()), "processes left by delete --force");
        assertNoCgroup("counter");
    }

    /**
     * With a cgroup namespace of its own (the example config's), the container sees its cgroup
     * as the root of every hierarchy: /proc/self/cgroup says "/", and the cgroup file system
     * mounted in it shows its own limits at the top.
     */
    void theCgroupNamespaceIsRootedAtTheContainersCgroup() throws IOException {
        String limitFile = mode() == CgroupMode.V2 ? "/sys/fs/cgroup/pids.max" : "/sys/fs/cgroup/pids/pids.max";
        Path bundle = bundle(List.of("sh", "-c", "{ cat /proc/self/cgroup; cat " + limitFile + "; } > /out/cgroupns"),
                "cgns", c -> resources(c).putObject("pids").put("limit", 42));
        jrun("run", "-b", bundle.toString(), "cgns").ok();
        List<String> lines = Files.readAllLines(out.resolve("cgroupns"));
        assertEquals("42", lines.getLast(), lines.toString());
        for (String line : lines.subList(0, lines.size() - 1)) {
            assertTrue(line.endsWith(":/"), "the container sees its cgroup as " + line);
        }
    }

    /**
     * Without a cgroup namespace (Docker on cgroup v1), each v1 hierarchy of a cgroup mount is
     * the container's own cgroup directory, as with runc: its limits at the top, no other
     * container's cgroup below. A new cgroup filesystem would show the host's whole tree.
     */
    void withoutACgroupNamespaceTheMountShowsTheContainersOwnCgroup() throws IOException {
        Path bundle = bundle(List.of("sh", "-c", "{ cat /sys/fs/cgroup/pids/pids.max; "
                        + "find /sys/fs/cgroup/pids /sys/fs/cgroup/memory -mindepth 1 -type d; } > /out/hostns"),
                "hostcgns", c -> {
                    Configs.withoutNamespace(c, "cgroup");
                    resources(c).putObject("pids").put("limit", 42);
                });
        jrun("run", "-b", bundle.toString(), "hostcgns").ok();
        assertEquals(List.of("42"), Files.readAllLines(out.resolve("hostns")));
    }

    /**
     * Without a pid namespace of its own a container's processes outlive its init: after a
     * crash of the init, {@code delete} kills what is left in the cgroup; {@code kill --all}
     * reaches every process of the cgroup.
     */
    void killAllAndDeleteAfterACrashEmptyTheCgroup() throws IOException {
        String script = "sleep 1000 & sleep 1000 & echo ready > /out/%s; wait";
        Path crash = bundle(List.of("sh", "-c", script.formatted("crash")), "crash", c -> Configs.withoutNamespace(c, "pid"));
        jrun("create", "-b", crash.toString(), "crash").ok();
        jrun("start", "crash").ok();
        waitFor(() -> Files.exists(out.resolve("crash")), 60, "the container to start its children");
        jrun("kill", "crash", "KILL").ok();
        waitFor(() -> status("crash").equals("stopped"), 30, "the init to die");
        assertEquals(2, Leftovers.processesWithEnv(sandbox.marker()).size(), "the init's children should outlive it");
        jrun("delete", "crash").ok();
        assertEquals(List.of(), Leftovers.processesWithEnv(sandbox.marker()), "processes left after delete");
        assertNoCgroup("crash");

        Path all = bundle(List.of("sh", "-c", script.formatted("all")), "all", c -> Configs.withoutNamespace(c, "pid"));
        jrun("create", "-b", all.toString(), "all").ok();
        jrun("start", "all").ok();
        waitFor(() -> Files.exists(out.resolve("all")), 60, "the container to start its children");
        jrun("kill", "--all", "all", "KILL").ok();
        waitFor(() -> Leftovers.processesWithEnv(sandbox.marker()).isEmpty(), 30, "kill --all to kill every process");
        assertEquals("stopped", status("all"));
        jrun("delete", "all").ok();
        assertNoCgroup("all");
    }

    /** Invalid resources are refused with the field named, and nothing is left behind. */
    void invalidResourcesAreRefused() throws IOException {
        BitSet online = CpuList.parse(Files.readString(Path.of("/sys/devices/system/cpu/online")));
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {"negmem", "/linux/resources/memory/limit",
                (Consumer<ObjectNode>) c -> resources(c).putObject("memory").put("limit", -5)});
        cases.add(new Object[] {"nocpu", "/linux/resources/cpu/cpus",
                (Consumer<ObjectNode>) c -> resources(c).putObject("cpu").put("cpus", Integer.toString(online.length() + 3))});
        cases.add(new Object[] {"weight", "/linux/resources/blockIO/weight",
                (Consumer<ObjectNode>) c -> resources(c).putObject("blockIO").put("weight", 5)});
        cases.add(new Object[] {"unified", mode() == CgroupMode.V2 ? "/linux/resources/unified/nosuch.max"
                : "/linux/resources/unified", (Consumer<ObjectNode>) c -> resources(c).putObject("unified").put("nosuch.max", "1")});
        for (Object[] k : cases) {
            String id = (String) k[0];
            @SuppressWarnings("unchecked")
            Path bundle = bundle(List.of("true"), id, (Consumer<ObjectNode>) k[2]);
            Jrun.Result r = jrun("create", "-b", bundle.toString(), id);
            assertEquals(1, r.exit(), id + ": " + r.stdout() + r.stderr());
            assertTrue(r.stderr().contains("config.json: " + k[1]), id + ": " + r.stderr());
            assertEquals(List.of(), Leftovers.stateEntries(stateRoot()), id + ": state left behind");
            assertNoCgroup(id);
        }
        // A create that fails once its cgroup exists (the init cannot find its program) removes it.
        Path missing = bundle(List.of("/no/such/program"), "noprog", c -> memory(c, 64 * MIB));
        Jrun.Result r = jrun("create", "-b", missing.toString(), "noprog");
        assertEquals(1, r.exit(), r.stdout() + r.stderr());
        assertEquals(List.of(), Leftovers.stateEntries(stateRoot()), "state left behind");
        assertNoCgroup("noprog");
        assertEquals(List.of(), leftoverCgroups());
    }

    /** {@code cycles} containers created and deleted: not one cgroup directory is left. */
    void createDeleteCyclesLeaveNoCgroup(Driver fast, int cycles) throws IOException {
        Path bundle = bundle(List.of("true"), "cycle", c -> memory(c, 64 * MIB));
        for (int i = 0; i < cycles; i++) {
            String id = "cycle" + i;
            setCgroupsPath(bundle, id);
            Jrun.Result created = fast.jrun(stateRoot(), "create", "-b", bundle.toString(), id);
            assertEquals(0, created.exit(), "cycle " + i + ": " + created.stderr());
            Jrun.Result deleted = fast.jrun(stateRoot(), "delete", id);
            assertEquals(0, deleted.exit(), "cycle " + i + ": " + deleted.stderr());
        }
        assertEquals(List.of(), Leftovers.stateEntries(stateRoot()));
        assertEquals(List.of(), leftoverCgroups(), "cgroups left after " + cycles + " cycles");
    }

    // ---- helpers ----

    private Jrun.Result jrun(String... args) {
        return driver.jrun(stateRoot(), args);
    }

    private Process background(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(Jrun.launcher());
        cmd.addAll(List.of("--root", stateRoot().toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private String status(String id) {
        return Bundles.parse(jrun("state", id).ok().stdout()).get("status").asString();
    }

    private long count() {
        try {
            String s = Files.readString(out.resolve("count")).strip();
            return s.isEmpty() ? 0 : Long.parseLong(s);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** A bundle of the example config running {@code args}, with /out and a cgroup below this run's parent. */
    private Path bundle(List<String> args, String id, Consumer<ObjectNode> edit) {
        return sandbox.bundle(args, c -> {
            Configs.addMount(c, "/out", "bind", out.toString(), "rbind", "rw");
            Configs.linux(c).put("cgroupsPath", parent + "/" + id);
            edit.accept(c);
        });
    }

    private void setCgroupsPath(Path bundle, String id) throws IOException {
        Path config = bundle.resolve("config.json");
        ObjectNode c = (ObjectNode) Bundles.parse(Files.readString(config));
        Configs.linux(c).put("cgroupsPath", parent + "/" + id);
        Files.writeString(config, c.toString());
    }

    private static ObjectNode resources(ObjectNode config) {
        ObjectNode linux = Configs.linux(config);
        return linux.has("resources") ? (ObjectNode) linux.get("resources") : linux.putObject("resources");
    }

    /** A memory limit with no swap on top, so that the limit is what the OOM killer enforces. */
    private static void memory(ObjectNode config, long bytes) {
        ObjectNode m = resources(config).putObject("memory");
        m.put("limit", bytes);
        m.put("swap", bytes);
    }

    private Path cgroupDir(String controller, String id) {
        String relative = parent.substring(1) + "/" + id;
        return host.mode() == CgroupMode.V2 ? host.unified().resolve(relative) : host.mountOf(controller).resolve(relative);
    }

    /** This run's parent in every hierarchy. */
    private List<Path> parents() {
        List<Path> out = new ArrayList<>();
        if (host.unified() != null) {
            out.add(host.unified().resolve(parent.substring(1)));
        }
        for (CgroupHost.Hierarchy h : host.hierarchies()) {
            out.add(h.mount().resolve(parent.substring(1)));
        }
        return out;
    }

    private void assertNoCgroup(String id) {
        for (Path p : parents()) {
            assertFalse(Files.exists(p.resolve(id)), p.resolve(id) + " was left behind");
        }
    }

    /** Cgroups below this run's parent, in any hierarchy. */
    List<String> leftoverCgroups() {
        List<String> left = new ArrayList<>();
        for (Path p : parents()) {
            if (Files.isDirectory(p)) {
                try (var s = Files.list(p)) {
                    s.filter(Files::isDirectory).forEach(d -> left.add(d.toString()));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return left;
    }

    private long cpuNanos(String id) throws IOException {
        if (host.mode() == CgroupMode.V2) {
            for (String line : Files.readAllLines(cgroupDir("cpu", id).resolve("cpu.stat"))) {
                if (line.startsWith("usage_usec ")) {
                    return Long.parseLong(line.substring(11).strip()) * 1000;
                }
            }
            throw new AssertionError("no usage_usec in cpu.stat");
        }
        return Long.parseLong(Files.readString(cgroupDir("cpuacct", id).resolve("cpuacct.usage")).strip());
    }

    private static void waitFor(BooleanSupplier condition, int seconds, String what) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            sleep(50);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Removes this run's parent cgroups (empty when every check cleaned up after itself). */
    @Override
    public void close() {
        for (Path p : parents()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a check left a cgroup below it; that check has failed and said so
            }
        }
    }
}
