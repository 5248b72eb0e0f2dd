package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jrun.linux.seccomp.HardeningBundles;
import jrun.sys.Arch;
import jrun.ttrpc.Code;
import jrun.ttrpc.Fields;
import jrun.ttrpc.Frame;
import jrun.ttrpc.ProtoWriter;
import jrun.ttrpc.RpcException;
import jrun.ttrpc.TtrpcClient;
import jrun.ttrpc.TtrpcServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * bin/containerd-shim-jrun-v2 driven over ttrpc as containerd drives it, without containerd (no
 * events address): start, the task calls on real containers, bad input on the live shim, state
 * shared with `jrun --root`, concurrent containers in one shim, many forks from one shim with no
 * frozen child, Shutdown. The ctr-driven suite is ShimIT. {@code -Djrun.shim.javaOpts} goes to
 * every shim's JRUN_JAVA_OPTS (e.g. {@code -Xint}, to compare JVM configurations).
 */
class ShimTaskIT {
    private static final String TASK = "containerd.task.v2.Task";
    private static final String NAMESPACE = "jrun-shim-it-" + ProcessHandle.current().pid();
    private static final Path ROOT = Path.of("/run/containerd/jrun", NAMESPACE);
    private static final String FROZE = "froze in the JVM";
    /**
     * An exec's capabilities as containerd gives them (a copy of the container's: runc's
     * defaults here). Without them the process keeps all of jrun's, CAP_SYS_PTRACE included, and
     * the shim has a fresh jrun fork it (JrunCommand) instead of forking it itself.
     */
    private static final String DEFAULT_CAPS = "\"capabilities\":{\"bounding\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\","
            + "\"CAP_NET_BIND_SERVICE\"],\"effective\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"],"
            + "\"permitted\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"]}";

    @TempDir
    Path tmp;
    private final List<String> started = new ArrayList<>();
    private Path socket;

    @AfterEach
    void cleanUp() throws IOException {
        Jrun jrun = new Jrun(ROOT);
        for (String id : started) {
            jrun.run("delete", "--force", id);
        }
        if (socket != null) {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socket.resolveSibling(socket.getFileName() + ".lock"));
        }
        Jrun.exec(List.of("rm", "-rf", ROOT.toString()), null, 30);
    }

    /** Runs the shim's start in {@code bundle}; returns its socket. */
    private Path startShim(Path bundle, String id) throws Exception {
        return startShim(bundle, id, null);
    }

    /** @param ttrpcAddress containerd's ttrpc socket for events (TTRPC_ADDRESS), or null for none */
    private Path startShim(Path bundle, String id, Path ttrpcAddress) throws Exception {
        return startShim(bundle, id, ttrpcAddress, null);
    }

    /** @param timingLog the shim's timing log (JRUN_SHIM_TIMING), or null for none */
    private Path startShim(Path bundle, String id, Path ttrpcAddress, Path timingLog) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Jrun.home().resolve("bin/containerd-shim-jrun-v2").toString(),
                "-namespace", NAMESPACE, "-address", tmp.resolve("containerd.sock").toString(), "-id", id, "start")
                .directory(bundle.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("TTRPC_ADDRESS");
        pb.environment().remove("JRUN_SHIM_TIMING");
        String javaOpts = System.getProperty("jrun.shim.javaOpts");
        if (javaOpts != null) {
            pb.environment().put("JRUN_JAVA_OPTS", javaOpts);
        }
        if (ttrpcAddress != null) {
            pb.environment().put("TTRPC_ADDRESS", ttrpcAddress.toString());
        }
        if (timingLog != null) {
            pb.environment().put("JRUN_SHIM_TIMING", timingLog.toString());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        assertTrue(out.startsWith("unix:///run/containerd/s/"), out);
        assertEquals("", err, "containerd reads start's combined output as the address");
        socket = Path.of(out.substring("unix://".length()));
        return socket;
    }

    private static byte[] id(String id) {
        return new ProtoWriter().string(1, id).toByteArray();
    }

    private Fields call(TtrpcClient c, String method, ProtoWriter request) throws Exception {
        return Fields.parse(c.call(TASK, method, request.toByteArray()));
    }

    private static int code(Executable e) {
        return assertThrows(RpcException.class, e::run).code();
    }

    private interface Executable {
        void run() throws Exception;
    }

    private Path bundle(String name, String... args) {
        return Bundles.create(tmp.resolve(name), List.of(args));
    }

    @Test
    void lifecycleBadInputAndSharedState() throws Exception {
        Path bundle = bundle("b1", "sleep", "60");
        String id = "shim-it-a-" + ProcessHandle.current().pid();
        Path sock = startShim(bundle, id);
        try (TtrpcClient c = TtrpcClient.connect(sock)) {
            started.add(id);
            long pid = call(c, "Create", new ProtoWriter().string(1, id).string(2, bundle.toString())).uint(1);
            assertTrue(pid > 0);
            assertEquals(1, call(c, "State", new ProtoWriter().string(1, id)).uint(4), "CREATED");
            assertTrue(Files.readString(bundle.resolve("init.pid")).trim().equals(Long.toString(pid)));

            // Bad input: each gets an error status and the shim goes on serving.
            assertEquals(Code.NOT_FOUND, code(() -> c.call(TASK, "State", id("no-such-container"))));
            assertEquals(Code.UNIMPLEMENTED, code(() -> c.call(TASK, "NoSuchMethod", id(id))));
            assertEquals(Code.UNIMPLEMENTED, code(() -> c.call("no.such.Service", "State", id(id))));
            assertEquals(Code.INVALID_ARGUMENT, code(() -> c.call(TASK, "State", new byte[] {0x0a, 0x7f})));
            assertEquals(Code.ALREADY_EXISTS, code(() -> call(c, "Create",
                    new ProtoWriter().string(1, id).string(2, bundle.toString()))));
            try (SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                raw.connect(UnixDomainSocketAddress.of(sock));
                OutputStream out = Channels.newOutputStream(raw);
                InputStream in = new BufferedInputStream(Channels.newInputStream(raw));
                new Frame(1, Frame.TYPE_REQUEST, 0, new byte[] {(byte) 0xff, 1, 2}).write(out);
                Frame reply = Frame.read(in);
                assertEquals(1, reply.streamId());
                assertEquals(Code.INVALID_ARGUMENT, Fields.parse(reply.data()).message(1).uint(1));
                out.write(new byte[] {0, 0, 0, 9, 0, 0}); // a header cut short: this connection ends
                raw.shutdownOutput();
                assertEquals(-1, in.read());
            }

            // The CLI sees the shim's container in the shim's root.
            Jrun jrun = new Jrun(ROOT);
            assertEquals("created", Bundles.parse(jrun.run("state", id).ok().stdout()).get("status").asString());

            assertEquals(pid, call(c, "Start", new ProtoWriter().string(1, id)).uint(1));
            assertEquals(2, call(c, "State", new ProtoWriter().string(1, id)).uint(4), "RUNNING");
            assertTrue(jrun.run("list").ok().stdout().contains(id));

            c.call(TASK, "Update", new ProtoWriter().string(1, id).any(2,
                    "types.containerd.io/opencontainers/runtime-spec/1/LinuxResources",
                    "{\"pids\":{\"limit\":42}}".getBytes(StandardCharsets.UTF_8)).toByteArray());
            Fields stats = call(c, "Stats", new ProtoWriter().string(1, id)).message(1);
            assertEquals("io.containerd.cgroups.v1.Metrics", stats.string(1));
            Fields metrics = Fields.parse(stats.bytes(2));
            assertEquals(42, metrics.message(2).uint(2), "pids.limit after Update");
            assertEquals(1, metrics.message(2).uint(1), "pids.current");
            assertEquals(Code.UNKNOWN, code(() -> c.call(TASK, "Update", new ProtoWriter().string(1, id)
                    .any(2, "x", "{\"pids\":{\"limit\":\"many\"}}".getBytes(StandardCharsets.UTF_8)).toByteArray())));

            List<Fields> pids = call(c, "Pids", new ProtoWriter().string(1, id)).messages(1);
            assertEquals(1, pids.size());
            assertEquals(pid, pids.get(0).uint(1));

            c.call(TASK, "Pause", id(id));
            assertEquals(4, call(c, "State", new ProtoWriter().string(1, id)).uint(4), "PAUSED");
            c.call(TASK, "Resume", id(id));

            assertEquals(Code.FAILED_PRECONDITION, code(() -> c.call(TASK, "Delete", id(id))), "still running");
            c.call(TASK, "Kill", new ProtoWriter().string(1, id).uint(3, 9).toByteArray());
            assertEquals(137, call(c, "Wait", new ProtoWriter().string(1, id)).uint(1));
            assertEquals(Code.NOT_FOUND, code(() -> c.call(TASK, "Kill",
                    new ProtoWriter().string(1, id).uint(3, 9).toByteArray())), "process already finished");
            Fields deleted = call(c, "Delete", new ProtoWriter().string(1, id));
            assertEquals(pid, deleted.uint(1));
            assertEquals(137, deleted.uint(2));
            assertFalse(jrun.run("list").ok().stdout().contains(id));

            c.call(TASK, "Shutdown", id(id));
        }
        awaitGone(sock);
    }

    @Test
    void concurrentContainersInOneShimLeaveNothing() throws Exception {
        int n = 8;
        Path first = bundle("c0", "sh", "-c", "exit 7");
        Path sock = startShim(first, "shim-it-c0-" + ProcessHandle.current().pid());
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try (TtrpcClient c = TtrpcClient.connect(sock)) {
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Path bundle = i == 0 ? first : bundle("c" + i, "sh", "-c", "exit 7");
                String id = "shim-it-c" + i + "-" + ProcessHandle.current().pid();
                started.add(id);
                results.add(pool.submit(() -> {
                    // One connection per container, as containerd's calls arrive on several.
                    try (TtrpcClient own = TtrpcClient.connect(sock)) {
                        call(own, "Create", new ProtoWriter().string(1, id).string(2, bundle.toString()));
                        call(own, "Start", new ProtoWriter().string(1, id));
                        long status = call(own, "Wait", new ProtoWriter().string(1, id)).uint(1);
                        call(own, "Delete", new ProtoWriter().string(1, id));
                        return status;
                    }
                }));
            }
            for (Future<Long> f : results) {
                assertEquals(7, f.get());
            }
            assertEquals("", new Jrun(ROOT).run("list", "-q").ok().stdout().trim(), "no container left");
            c.call(TASK, "Shutdown", new byte[0]);
        } finally {
            pool.shutdownNow();
        }
        awaitGone(sock);
    }

    /**
     * Many forks from one shim JVM, with the JIT it runs with, under concurrent requests: every
     * container and exec runs and exits as asked, nothing is left, and the shim's log counts the
     * children that froze in the JVM after the fork and were forked again (ForkAttempts): none.
     * Sized by {@code -Dshim.stress.containers} (default 24), {@code .execs} per container
     * (default 3) and {@code .threads} (default 4).
     */
    @Test
    void manyConcurrentCreatesAndExecsFreezeNoChild() throws Exception {
        int containers = Integer.getInteger("shim.stress.containers", 24);
        int execs = Integer.getInteger("shim.stress.execs", 3);
        int threads = Integer.getInteger("shim.stress.threads", 4);
        String tag = Long.toString(ProcessHandle.current().pid());
        Path first = Bundles.create(tmp.resolve("c0"), List.of("sleep", "60"));
        Path log = first.resolve("log"); // the shim logs to its bundle's "log", as containerd has it
        Files.createFile(log);
        Path sock = startShim(first, "stress-c0-" + tag);
        long began = System.nanoTime();
        String usage;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (TtrpcClient c = TtrpcClient.connect(sock)) {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < containers; i++) {
                Path bundle = i == 0 ? first : Bundles.create(tmp.resolve("c" + i), List.of("sleep", "60"));
                String id = "stress-c" + i + "-" + tag;
                started.add(id);
                results.add(pool.submit(() -> {
                    runContainer(sock, id, bundle, execs);
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get();
            }
            assertEquals("", new Jrun(ROOT).run("list", "-q").ok().stdout().trim(), "no container left");
            long shimPid = Fields.parse(c.call(TASK, "Connect",
                    new ProtoWriter().string(1, "stress-c0-" + tag).toByteArray())).uint(1);
            usage = usage(shimPid);
            c.call(TASK, "Shutdown", new byte[0]);
        } finally {
            pool.shutdownNow();
        }
        awaitGone(sock);
        long ms = (System.nanoTime() - began) / 1_000_000;
        List<String> frozen = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.contains(FROZE)) {
                frozen.add(line);
            }
        }
        System.out.println("shim stress: " + containers + " containers, " + containers * execs + " execs, " + threads
                + " threads, JRUN_JAVA_OPTS=" + System.getProperty("jrun.shim.javaOpts", "") + ": " + ms
                + " ms, shim " + usage + ", frozen children " + frozen.size());
        assertEquals(List.of(), frozen, "children that froze after the fork (the shim's log)");
    }

    /** One container's life: create, start, the execs (each exits with its number), kill, wait, delete. */
    private static void runContainer(Path sock, String id, Path bundle, int execs) throws Exception {
        try (TtrpcClient c = TtrpcClient.connect(sock)) {
            c.call(TASK, "Create", new ProtoWriter().string(1, id).string(2, bundle.toString()).toByteArray());
            c.call(TASK, "Start", new ProtoWriter().string(1, id).toByteArray());
            for (int e = 0; e < execs; e++) {
                String execId = "x" + e;
                c.call(TASK, "Exec", new ProtoWriter().string(1, id).string(2, execId).any(7,
                        "types.containerd.io/opencontainers/runtime-spec/1/Process",
                        ("{\"args\":[\"sh\",\"-c\",\"exit " + e + "\"],\"cwd\":\"/\",\"env\":[\"PATH=/bin\"]," + DEFAULT_CAPS + "}")
                                .getBytes(StandardCharsets.UTF_8)).toByteArray());
                byte[] exec = new ProtoWriter().string(1, id).string(2, execId).toByteArray();
                c.call(TASK, "Start", exec);
                assertEquals(e, Fields.parse(c.call(TASK, "Wait", exec)).uint(1), id + " exec " + execId);
                c.call(TASK, "Delete", exec);
            }
            c.call(TASK, "Kill", new ProtoWriter().string(1, id).uint(3, 9).toByteArray());
            assertEquals(137, Fields.parse(c.call(TASK, "Wait", new ProtoWriter().string(1, id).toByteArray())).uint(1));
            c.call(TASK, "Delete", new ProtoWriter().string(1, id).toByteArray());
        }
    }

    /** The shim's CPU time (all its threads: the JIT's too), resident and peak resident memory. */
    private static String usage(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime (fields 14, 15), in 10 ms ticks
        StringBuilder out = new StringBuilder("cpu " + ticks * 10 + " ms");
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:") || line.startsWith("VmHWM:")) {
                out.append(' ').append(line.replaceAll("\\s+", " "));
            }
        }
        return out.toString();
    }

    /**
     * JRUN_SHIM_TIMING: a line per request with its span (START_US END_US PID WHAT ID), and the
     * start sub-command's spans from the launcher on, as conformance/bench/shim-bench reads them.
     */
    @Test
    void timingLogHasASpanPerRequestAndForStart() throws Exception {
        Path log = tmp.resolve("timing.log");
        String id = "shim-it-t-" + ProcessHandle.current().pid();
        long before = System.currentTimeMillis() * 1000;
        Path sock = startShim(bundle("t", "true"), id, null, log);
        started.add(id);
        try (TtrpcClient c = TtrpcClient.connect(sock)) {
            call(c, "Create", new ProtoWriter().string(1, id).string(2, tmp.resolve("t").toString()));
            call(c, "Start", new ProtoWriter().string(1, id));
            call(c, "Wait", new ProtoWriter().string(1, id));
            call(c, "Delete", new ProtoWriter().string(1, id));
            c.call(TASK, "Shutdown", new byte[0]);
        }
        awaitGone(sock);
        long after = (System.currentTimeMillis() + 1) * 1000; // the clock in ms, the log in µs
        List<String> whats = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            String[] f = line.split(" ");
            assertEquals(5, f.length, line);
            long start = Long.parseLong(f[0]);
            long end = Long.parseLong(f[1]);
            assertTrue(before <= start && start <= end && end <= after, line);
            Long.parseLong(f[2]);
            if (!f[3].equals("Shutdown")) {
                assertEquals(id, f[4], line);
            }
            whats.add(f[3]);
        }
        assertEquals(List.of("jvm", "start", "Create", "Start", "Wait", "Delete", "Shutdown"), whats);
    }

    /**
     * The serving shim holds SOCKET.lock: the group's next start answers from it; a SIGKILLed
     * shim holds nothing, and the next start becomes the group's shim; Shutdown removes both.
     */
    @Test
    void servingLockTellsTheNextStartAndDiesWithItsShim() throws Exception {
        String id = "shim-it-l-" + ProcessHandle.current().pid();
        Path sock = startShim(bundle("l1", "true"), id);
        Path lock = sock.resolveSibling(sock.getFileName() + ".lock");
        assertTrue(heldElsewhere(lock), "the serving shim holds " + lock);
        assertEquals(sock, startShim(bundle("l2", "true"), id), "the group's next start finds the shim");
        long pid;
        try (TtrpcClient c = TtrpcClient.connect(sock)) {
            pid = call(c, "Connect", new ProtoWriter().string(1, id)).uint(1);
        }
        ProcessHandle shim = ProcessHandle.of(pid).orElseThrow();
        Jrun.exec(List.of("kill", "-KILL", Long.toString(pid)), null, 10);
        shim.onExit().get();
        assertFalse(heldElsewhere(lock), "a killed shim holds no lock");
        assertEquals(sock, startShim(bundle("l3", "true"), id));
        try (TtrpcClient c = TtrpcClient.connect(sock)) {
            long next = call(c, "Connect", new ProtoWriter().string(1, id)).uint(1);
            assertTrue(next != pid && next > 0, "a new shim serves the group");
            assertTrue(heldElsewhere(lock));
            c.call(TASK, "Shutdown", new byte[0]);
        }
        awaitGone(sock);
        assertFalse(Files.exists(lock), "Shutdown removes the lock file");
    }

    private static boolean heldElsewhere(Path lock) throws IOException {
        try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(lock,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock l = c.tryLock();
            if (l != null) {
                l.release();
            }
            return l == null;
        }
    }

    @Test
    void eventsReachContainerdInOrder() throws Exception {
        // containerd's side: the events service the shim forwards to (TTRPC_ADDRESS).
        Path ttrpc = tmp.resolve("ttrpc.sock");
        List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(ttrpc));
            TtrpcServer.Service forward = (method, payload) -> {
                try {
                    Fields envelope = Fields.parse(payload).message(1);
                    Fields event = Fields.parse(envelope.message(4).bytes(2));
                    // an event's field 2: a string (TaskCreate's bundle, TaskExit's id...) or a pid
                    String second;
                    try {
                        second = event.string(2);
                    } catch (InvalidProtocolBufferException numeric) {
                        second = event.uint(2) > 0 ? "pid" : "0";
                    }
                    events.add(envelope.string(2) + " " + envelope.string(3) + " " + envelope.message(4).string(1)
                            + " " + second);
                } catch (InvalidProtocolBufferException e) {
                    events.add("undecodable: " + e.getMessage());
                }
                return new byte[0];
            };
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    new TtrpcServer(Map.of("containerd.services.events.ttrpc.v1.Events", forward), m -> { }, () -> { })
                            .serve(server);
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            Path bundle = bundle("e1", "sleep", "60");
            String id = "shim-it-e-" + ProcessHandle.current().pid();
            Path sock = startShim(bundle, id, ttrpc);
            try (TtrpcClient c = TtrpcClient.connect(sock)) {
                started.add(id);
                call(c, "Create", new ProtoWriter().string(1, id).string(2, bundle.toString()));
                call(c, "Start", new ProtoWriter().string(1, id));
                c.call(TASK, "Exec", new ProtoWriter().string(1, id).string(2, "x1").any(7,
                        "types.containerd.io/opencontainers/runtime-spec/1/Process",
                        ("{\"args\":[\"true\"],\"cwd\":\"/\",\"env\":[\"PATH=/bin\"]," + DEFAULT_CAPS + "}")
                                .getBytes(StandardCharsets.UTF_8))
                        .toByteArray());
                byte[] exec = new ProtoWriter().string(1, id).string(2, "x1").toByteArray();
                c.call(TASK, "Start", exec);
                assertEquals(0, Fields.parse(c.call(TASK, "Wait", exec)).uint(1));
                c.call(TASK, "Pause", id(id));
                c.call(TASK, "Resume", id(id));
                c.call(TASK, "Kill", new ProtoWriter().string(1, id).uint(3, 9).toByteArray());
                call(c, "Wait", new ProtoWriter().string(1, id));
                call(c, "Delete", new ProtoWriter().string(1, id));
                for (int i = 0; i < 200 && events.size() < 9; i++) {
                    Thread.sleep(50);
                }
                String e = "containerd.events.";
                assertEquals(List.of(
                        NAMESPACE + " /tasks/create " + e + "TaskCreate " + bundle,
                        NAMESPACE + " /tasks/start " + e + "TaskStart pid",
                        NAMESPACE + " /tasks/exec-added " + e + "TaskExecAdded x1",
                        NAMESPACE + " /tasks/exec-started " + e + "TaskExecStarted x1",
                        NAMESPACE + " /tasks/exit " + e + "TaskExit x1",
                        NAMESPACE + " /tasks/paused " + e + "TaskPaused ",
                        NAMESPACE + " /tasks/resumed " + e + "TaskResumed ",
                        NAMESPACE + " /tasks/exit " + e + "TaskExit " + id,
                        NAMESPACE + " /tasks/delete " + e + "TaskDelete pid"), events);
                c.call(TASK, "Shutdown", id(id));
            }
            awaitGone(sock);
        }
    }

    /**
     * Issue 16's /proc/PID/mem for the shim: one JVM serves a group, so a child it forks is a
     * copy of a heap that has held the group's other containers' configs. Container B keeps a
     * secret in its environment (and its exec's process carries it, as containerd's do); A holds
     * CAP_SYS_PTRACE without a user namespace and stops every newcomer of its pid namespace to
     * read its memory for that secret while execs come into it, and while a third container
     * joining its pid namespace waits in created. The probe reads the secret from a file of A's
     * rootfs: in A's arguments it would be in A's own config, in every copy of the shim.
     */
    @Test
    void aPtracingContainerReadsNoSiblingsSecretInTheShimsChildren() throws Exception {
        assumeTrue(Arch.current() == Arch.X86_64,
                "the probe's system call numbers are x86_64's");
        String tag = Long.toString(ProcessHandle.current().pid());
        String secret = UUID.randomUUID().toString();
        Path b = HardeningBundles.runcDefault(tmp.resolve("b"), List.of("sleep", "600"),
                c -> ((ArrayNode) c.get("process").get("env"))
                        .add("JRUN_SIBLING_SECRET=" + secret));
        Path a = HardeningBundles.runcDefault(tmp.resolve("a"),
                List.of("probe", "memhunt", "/tmp/stop", "/tmp/secret"), c -> {
                    for (String set : List.of("bounding", "effective", "permitted")) {
                        ((ArrayNode) c.get("process").get("capabilities").get(set))
                                .add("CAP_SYS_PTRACE");
                    }
                });
        Files.writeString(a.resolve("rootfs/tmp/secret"), secret);
        Path report = tmp.resolve("hunter.out");
        String idA = "shim-it-hunter-" + tag;
        String idB = "shim-it-secret-" + tag;
        String idC = "shim-it-joiner-" + tag;
        Path sock = startShim(b, idB);
        try (TtrpcClient c = TtrpcClient.connect(sock)) {
            started.add(idB);
            call(c, "Create", new ProtoWriter().string(1, idB).string(2, b.toString()));
            call(c, "Start", new ProtoWriter().string(1, idB));
            started.add(idA);
            long hunterPid = call(c, "Create", new ProtoWriter().string(1, idA).string(2, a.toString())
                    .string(6, "file://" + report)).uint(1);
            call(c, "Start", new ProtoWriter().string(1, idA));
            String execInB = "{\"args\":[\"true\"],\"cwd\":\"/\",\"env\":[\"PATH=/bin\",\"JRUN_SIBLING_SECRET="
                    + secret + "\"]}";
            String execInA = "{\"args\":[\"true\"],\"cwd\":\"/\",\"env\":[\"PATH=/bin\"]}";
            try {
                for (int i = 0; i < 10; i++) {
                    execAndWait(c, idB, "probe-b" + i, execInB);
                    execAndWait(c, idA, "x" + i, execInA);
                }
                Path joiner = HardeningBundles.runcDefault(tmp.resolve("c"), List.of("true"), cfg -> {
                    for (JsonNode ns : cfg.get("linux").get("namespaces")) {
                        if (ns.get("type").asString().equals("pid")) {
                            ((ObjectNode) ns).put("path", "/proc/" + hunterPid + "/ns/pid");
                        }
                    }
                });
                execAndWait(c, idB, "probe-c", execInB);
                started.add(idC);
                call(c, "Create", new ProtoWriter().string(1, idC).string(2, joiner.toString()));
                Thread.sleep(1000); // the hunter's turn at the created init
                call(c, "Delete", new ProtoWriter().string(1, idC));
            } finally {
                Files.writeString(a.resolve("rootfs/tmp/stop"), "");
            }
            assertEquals(0, call(c, "Wait", new ProtoWriter().string(1, idA)).uint(1));
            killDeleteAndShutDown(c, idA, idB);
        }
        awaitGone(sock);
        String out = Files.readString(report);
        System.out.println("what the hunter saw:\n" + out);
        assertTrue(out.contains("hunt done"), out);
        // Caught before its execve, the child is jrun's copy: "jrun init" is its command line.
        assertTrue(out.lines().anyMatch(l -> l.contains(" cmdline read=0 jrun|init|")),
                "the hunter stopped none of the shim's children before its execve: " + out);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\d+ memgrep found=\\d+")), "the hunter read no memory: " + out);
        assertEquals(List.of(), out.lines().filter(l -> l.matches("\\d+ memgrep found=[1-9]\\d*")).toList(),
                "B's secret in the memory of a process A could stop: " + out);
    }

    /**
     * The processes of a container holding CAP_SYS_PTRACE come from a fresh jrun (JrunCommand),
     * and behave as the shim's own: the init's and an exec's output and exit status, a terminal,
     * and a program that cannot start fails the Create or the exec's Start with the message the
     * shim's own fork gives, leaving no state.
     */
    @Test
    void aPtracingContainersProcessesComeFromAFreshJrunAndBehaveTheSame() throws Exception {
        String tag = Long.toString(ProcessHandle.current().pid());
        Path plain = HardeningBundles.runcDefault(tmp.resolve("plain"), List.of("sleep", "600"), c -> { });
        Path ptrace = HardeningBundles.runcDefault(tmp.resolve("ptrace"), List.of("sh", "-c", "echo init-out; exec sleep 600"),
                c -> {
                    for (String set : List.of("bounding", "effective", "permitted")) {
                        ((ArrayNode) c.get("process").get("capabilities").get(set)).add("CAP_SYS_PTRACE");
                    }
                });
        String idPlain = "shim-it-plain-" + tag;
        String id = "shim-it-ptrace-" + tag;
        Path initOut = tmp.resolve("init.out");
        Path sock = startShim(ptrace, id);
        try (TtrpcClient c = TtrpcClient.connect(sock)) {
            started.add(id);
            started.add(idPlain);
            call(c, "Create", new ProtoWriter().string(1, id).string(2, ptrace.toString()).string(6, "file://" + initOut));
            call(c, "Start", new ProtoWriter().string(1, id));
            call(c, "Create", new ProtoWriter().string(1, idPlain).string(2, plain.toString()));
            call(c, "Start", new ProtoWriter().string(1, idPlain));

            Path execOut = tmp.resolve("exec.out");
            assertEquals(3, execStatus(c, id, "out", "{\"args\":[\"sh\",\"-c\",\"echo exec-out; exit 3\"],\"cwd\":\"/\"}",
                    "file://" + execOut));
            assertEquals("exec-out\n", Files.readString(execOut));
            Path ttyOut = tmp.resolve("tty.out");
            assertEquals(4, execStatus(c, id, "tty", "{\"terminal\":true,\"args\":[\"sh\",\"-c\",\"tty; exit 4\"],\"cwd\":\"/\"}",
                    "file://" + ttyOut));
            assertTrue(Files.readString(ttyOut).startsWith("/dev/pts/"), Files.readString(ttyOut));
            String missing = "{\"args\":[\"/no/such/program\"],\"cwd\":\"/\"," + DEFAULT_CAPS + "}";
            String inShim = startFailure(c, idPlain, missing);
            String fresh = startFailure(c, id, missing);
            System.out.println("exec failures: in the shim: " + inShim + "; from a fresh jrun: " + fresh);
            assertEquals(inShim, fresh);

            // A create that fails, each way: the same error, and nothing left of the container.
            List<String> createErrors = new ArrayList<>();
            for (Path failing : List.of(
                    HardeningBundles.runcDefault(tmp.resolve("bad-plain"), List.of("/no/such/program"), cfg -> { }),
                    HardeningBundles.runcDefault(tmp.resolve("bad-ptrace"), List.of("/no/such/program"), cfg -> {
                        for (String set : List.of("bounding", "effective", "permitted")) {
                            ((ArrayNode) cfg.get("process").get("capabilities").get(set)).add("CAP_SYS_PTRACE");
                        }
                    }))) {
                String badId = "shim-it-bad-" + tag;
                RpcException e = assertThrows(RpcException.class, () -> c.call(TASK, "Create",
                        new ProtoWriter().string(1, badId).string(2, failing.toString()).toByteArray()));
                assertEquals(Code.UNKNOWN, e.code(), e.getMessage());
                createErrors.add(e.getMessage());
                assertFalse(Files.exists(ROOT.resolve(badId)), "the failed container's state is gone");
            }
            System.out.println("create failures: " + createErrors);
            assertEquals(createErrors.get(0), createErrors.get(1));

            // What the fresh jrun costs: an exec's Exec, Start, Wait and Delete, each way (printed only).
            String quick = "{\"args\":[\"true\"],\"cwd\":\"/\"," + DEFAULT_CAPS + "}";
            List<Long> inShimMs = new ArrayList<>();
            List<Long> freshMs = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                for (boolean delegated : new boolean[] {false, true}) {
                    long began = System.nanoTime();
                    assertEquals(0, execStatus(c, delegated ? id : idPlain, "t" + i, quick, ""));
                    (delegated ? freshMs : inShimMs).add((System.nanoTime() - began) / 1_000_000);
                }
            }
            System.out.println("one exec, ms: in the shim " + inShimMs + ", from a fresh jrun " + freshMs);

            c.call(TASK, "Kill", new ProtoWriter().string(1, id).uint(3, 9).toByteArray());
            assertEquals(137, call(c, "Wait", new ProtoWriter().string(1, id)).uint(1));
            assertEquals("init-out\n", Files.readString(initOut));
            killDeleteAndShutDown(c, id, idPlain);
        }
        awaitGone(sock);
        try (var left = Files.list(ROOT)) {
            assertEquals(List.of(), left.toList(), "nothing left in the shim's root");
        }
    }

    /**
     * What a client writes to an exec's stdin FIFO reaches the process whole, however CloseIO
     * falls: ctr closes its FIFO and sends CloseIO at once. The shim used to close the process's
     * pipe on CloseIO, losing what its relay had not copied yet (a stdin check of the
     * containerd-shim suite failed in the VM that way); now its own writer of the FIFO closes and
     * the relay copies to the FIFO's end of file, which comes once the client's writer is closed
     * too, as with runc's shim. A line written and closed before CloseIO (ctr's order), and a
     * megabyte still being written when CloseIO comes (the process reads only after a second):
     * the data in flight at CloseIO, which the old shim dropped every time here.
     */
    @Test
    void stdinWrittenBeforeCloseIoReachesTheProcess() throws Exception {
        String tag = Long.toString(ProcessHandle.current().pid());
        String id = "shim-it-stdin-" + tag;
        Path bundle = HardeningBundles.runcDefault(tmp.resolve("stdin"), List.of("sleep", "600"), c -> { });
        Path sock = startShim(bundle, id);
        ExecutorService writers = Executors.newSingleThreadExecutor();
        try (TtrpcClient c = TtrpcClient.connect(sock)) {
            started.add(id);
            call(c, "Create", new ProtoWriter().string(1, id).string(2, bundle.toString()));
            call(c, "Start", new ProtoWriter().string(1, id));
            String count = "{\"args\":[\"sh\",\"-c\",\"sleep 1; wc -c\"],\"cwd\":\"/\"," + DEFAULT_CAPS + "}";
            for (int round = 0; round < 2; round++) {
                for (int size : new int[] {11, 1 << 20}) {
                    String execId = "e" + size + "-" + round;
                    Path fifo = tmp.resolve(execId + ".stdin");
                    Path out = tmp.resolve(execId + ".out");
                    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
                    c.call(TASK, "Exec", new ProtoWriter().string(1, id).string(2, execId).string(4, fifo.toString())
                            .string(5, "file://" + out).any(7, "types.containerd.io/opencontainers/runtime-spec/1/Process",
                                    count.getBytes(StandardCharsets.UTF_8)).toByteArray());
                    byte[] exec = new ProtoWriter().string(1, id).string(2, execId).toByteArray();
                    byte[] closeIo = new ProtoWriter().string(1, id).string(2, execId).bool(3, true).toByteArray();
                    Future<?> written = writers.submit(() -> {
                        try (OutputStream w = Files.newOutputStream(fifo)) {
                            w.write(new byte[size]);
                        }
                        return null;
                    });
                    c.call(TASK, "Start", exec);
                    if (size > 11) {
                        c.call(TASK, "CloseIO", closeIo);
                    }
                    written.get(30, java.util.concurrent.TimeUnit.SECONDS);
                    if (size == 11) {
                        c.call(TASK, "CloseIO", closeIo);
                    }
                    assertEquals(0, Fields.parse(c.call(TASK, "Wait", exec)).uint(1), execId);
                    c.call(TASK, "Delete", exec);
                    assertEquals(size + "\n", Files.readString(out), execId + ": the bytes the process read");
                }
            }
            killDeleteAndShutDown(c, id);
        } finally {
            writers.shutdownNow();
        }
        awaitGone(sock);
    }

    /** SIGKILL to each task still running, Wait and Delete each, then the shim's Shutdown. */
    private void killDeleteAndShutDown(TtrpcClient c, String... ids) throws Exception {
        for (String id : ids) {
            try {
                c.call(TASK, "Kill", new ProtoWriter().string(1, id).uint(3, 9).toByteArray());
            } catch (RpcException e) {
                assertEquals(Code.NOT_FOUND, e.code(), "only an exited task cannot be killed: " + e.getMessage());
            }
            call(c, "Wait", new ProtoWriter().string(1, id));
            call(c, "Delete", new ProtoWriter().string(1, id));
        }
        c.call(TASK, "Shutdown", new byte[0]);
    }

    /** An exec with its output to {@code stdout}, waited for: its exit status. */
    private long execStatus(TtrpcClient c, String id, String execId, String processJson, String stdout) throws Exception {
        c.call(TASK, "Exec", new ProtoWriter().string(1, id).string(2, execId).bool(3, processJson.contains("\"terminal\":true"))
                .string(5, stdout).any(7, "types.containerd.io/opencontainers/runtime-spec/1/Process",
                        processJson.getBytes(StandardCharsets.UTF_8)).toByteArray());
        byte[] exec = new ProtoWriter().string(1, id).string(2, execId).toByteArray();
        c.call(TASK, "Start", exec);
        long status = Fields.parse(c.call(TASK, "Wait", exec)).uint(1);
        c.call(TASK, "Delete", exec);
        return status;
    }

    /** The message of an exec's failed Start. */
    private String startFailure(TtrpcClient c, String id, String processJson) throws Exception {
        c.call(TASK, "Exec", new ProtoWriter().string(1, id).string(2, "bad").any(7,
                "types.containerd.io/opencontainers/runtime-spec/1/Process", processJson.getBytes(StandardCharsets.UTF_8))
                .toByteArray());
        byte[] exec = new ProtoWriter().string(1, id).string(2, "bad").toByteArray();
        RpcException e = assertThrows(RpcException.class, () -> c.call(TASK, "Start", exec));
        assertEquals(Code.UNKNOWN, e.code(), e.getMessage());
        c.call(TASK, "Delete", exec);
        return e.getMessage();
    }

    private void execAndWait(TtrpcClient c, String id, String execId, String processJson) throws Exception {
        c.call(TASK, "Exec", new ProtoWriter().string(1, id).string(2, execId).any(7,
                "types.containerd.io/opencontainers/runtime-spec/1/Process", processJson.getBytes(StandardCharsets.UTF_8))
                .toByteArray());
        byte[] exec = new ProtoWriter().string(1, id).string(2, execId).toByteArray();
        c.call(TASK, "Start", exec);
        assertEquals(0, Fields.parse(c.call(TASK, "Wait", exec)).uint(1), id + " exec " + execId);
        c.call(TASK, "Delete", exec);
    }

    private static void awaitGone(Path sock) throws InterruptedException {
        for (int i = 0; i < 200 && Files.exists(sock); i++) {
            Thread.sleep(50);
        }
        assertFalse(Files.exists(sock), "the shim removed its socket on Shutdown");
    }
}
