package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jrun.ttrpc.Fields;
import jrun.ttrpc.ProtoWriter;
import jrun.ttrpc.TtrpcClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many forks from one shim JVM, with the JIT it runs with, under concurrent requests: every
 * container and exec runs and exits as asked, nothing is left, and the shim's log counts the
 * children that froze in the JVM after the fork and were forked again (ForkAttempts): none.
 * Sized by {@code -Dshim.stress.containers} (default 24), {@code .execs} per container (default
 * 3) and {@code .threads} (default 4); {@code -Dshim.stress.javaOpts} goes to the shim's
 * JRUN_JAVA_OPTS (e.g. {@code -Xint}, for a comparison).
 */
class ShimStressIT {
    private static final String TASK = "containerd.task.v2.Task";
    private static final String NAMESPACE = "jrun-shim-stress-" + ProcessHandle.current().pid();
    private static final Path ROOT = Path.of("/run/containerd/jrun", NAMESPACE);
    private static final String FROZE = "froze in the JVM";

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
        }
        Jrun.exec(List.of("rm", "-rf", ROOT.toString()), null, 30);
    }

    @Test
    void manyConcurrentCreatesAndExecsFreezeNoChild() throws Exception {
        int containers = Integer.getInteger("shim.stress.containers", 24);
        int execs = Integer.getInteger("shim.stress.execs", 3);
        int threads = Integer.getInteger("shim.stress.threads", 4);
        String tag = Long.toString(ProcessHandle.current().pid());
        Path first = Bundles.create(tmp.resolve("c0"), List.of("sleep", "60"));
        Path log = first.resolve("log"); // the shim logs to its bundle's "log", as containerd has it
        Files.createFile(log);
        socket = startShim(first, "stress-c0-" + tag);
        long began = System.nanoTime();
        String usage;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (TtrpcClient c = TtrpcClient.connect(socket)) {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < containers; i++) {
                Path bundle = i == 0 ? first : Bundles.create(tmp.resolve("c" + i), List.of("sleep", "60"));
                String id = "stress-c" + i + "-" + tag;
                started.add(id);
                results.add(pool.submit(() -> {
                    runContainer(id, bundle, execs);
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
        long ms = (System.nanoTime() - began) / 1_000_000;
        List<String> frozen = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.contains(FROZE)) {
                frozen.add(line);
            }
        }
        System.out.println("shim stress: " + containers + " containers, " + containers * execs + " execs, " + threads
                + " threads, JRUN_JAVA_OPTS=" + System.getProperty("shim.stress.javaOpts", "") + ": " + ms
                + " ms, shim " + usage + ", frozen children " + frozen.size());
        assertEquals(List.of(), frozen, "children that froze after the fork (the shim's log)");
    }

    /** One container's life: create, start, the execs (each exits with its number), kill, wait, delete. */
    private void runContainer(String id, Path bundle, int execs) throws Exception {
        try (TtrpcClient c = TtrpcClient.connect(socket)) {
            c.call(TASK, "Create", new ProtoWriter().string(1, id).string(2, bundle.toString()).toByteArray());
            c.call(TASK, "Start", new ProtoWriter().string(1, id).toByteArray());
            for (int e = 0; e < execs; e++) {
                String execId = "x" + e;
                c.call(TASK, "Exec", new ProtoWriter().string(1, id).string(2, execId).any(7,
                        "types.containerd.io/opencontainers/runtime-spec/1/Process",
                        ("{\"args\":[\"sh\",\"-c\",\"exit " + e + "\"],\"cwd\":\"/\",\"env\":[\"PATH=/bin\"]}")
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

    /** The shim's CPU time (user + system, all its threads: the JIT's too) and its resident and peak resident memory. */
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

    private Path startShim(Path bundle, String id) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Jrun.home().resolve("bin/containerd-shim-jrun-v2").toString(),
                "-namespace", NAMESPACE, "-address", tmp.resolve("containerd.sock").toString(), "-id", id, "start")
                .directory(bundle.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("TTRPC_ADDRESS");
        String javaOpts = System.getProperty("shim.stress.javaOpts");
        if (javaOpts != null) {
            pb.environment().put("JRUN_JAVA_OPTS", javaOpts);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.startsWith("unix:///run/containerd/s/"), out);
        return Path.of(out.substring("unix://".length()));
    }
}
