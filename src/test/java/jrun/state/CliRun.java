package jrun.state;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jrun.cli.Main;

/** Test support for the state commands: runs {@code jrun --root ROOT ...} in this JVM with
 *  stdout and stderr captured, and plants containers in a state root. */
public final class CliRun {
    public record Result(int exitCode, String out, String err) {}

    private CliRun() {}

    public static synchronized Result jrun(Path root, String... argv) {
        List<String> all = new ArrayList<>(List.of("--root", root.toString()));
        all.addAll(List.of(argv));
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(all.toArray(String[]::new));
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Saves a container whose process is {@code process} (null: a pid that is long gone). */
    public static ContainerState plant(Path root, String id, ContainerStatus saved, Process process, boolean execFifo,
                                       Map<String, String> annotations) throws Exception {
        int pid = process == null ? Integer.MAX_VALUE - 1 : (int) process.pid();
        long start = process == null ? 1 : ProcStat.read(pid).startTime();
        ContainerState s = ContainerState.creating("1.2.0", id, "/bundles/" + id, "/bundles/" + id + "/rootfs", annotations)
                .withStatus(saved).withProcess(pid, start);
        StateStore store = new StateStore(root);
        try (ContainerLock lock = store.create(s)) {
            if (execFifo) {
                java.nio.file.Files.createFile(lock.containerDir().resolve(StateStore.EXEC_FIFO));
            }
        }
        return s;
    }

    /** Ids that must never reach the filesystem. */
    public static final List<String> HOSTILE_IDS = List.of("../x", "../../etc", "/", "/tmp/x", "a/b", "..", ".",
            "a\nb", "x\u0000y", "esc\u001b", "");
}
