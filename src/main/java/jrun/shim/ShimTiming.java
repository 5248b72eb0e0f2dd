package jrun.shim;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import jrun.base.Environment;

/**
 * Where the shim's time goes, opt-in: with {@code JRUN_SHIM_TIMING=FILE} in the shim's
 * environment (containerd passes its own on) every task request appends one line to FILE,
 *
 * <pre>START_US END_US PID WHAT ID</pre>
 *
 * wall-clock microseconds since the epoch (the clock of bash's {@code EPOCHREALTIME}, so that
 * conformance/bench/shim-bench can lay them over the {@code ctr} commands it times), the shim's
 * pid, the method (or, for the start and delete sub-commands, {@code jvm}, {@code start} and
 * {@code delete}, see {@link #subcommand}) and the container's id. Appends are single writes on an O_APPEND file:
 * the start JVMs and the serving shims of one containerd share the file. Off by default: a line
 * per request is not free in an interpreted JVM, and nobody reads it.
 */
final class ShimTiming {
    private static final String FILE = Environment.get("JRUN_SHIM_TIMING");
    /** The launcher's clock reading (nanoseconds since the epoch) before it started this JVM. */
    private static final String LAUNCHED = "JRUN_SHIM_LAUNCHED";

    private static PrintStream out;

    private ShimTiming() {}

    static boolean on() {
        return FILE != null && !FILE.isEmpty();
    }

    /** Now in microseconds since the epoch; only for {@link #record}, and only when {@link #on}. */
    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    /** One line for {@code what} (a method) of container {@code id}, begun at {@code startMicros}, ending now. */
    static void record(String what, String id, long startMicros) {
        record(what, id, startMicros, nowMicros());
    }

    private static void record(String what, String id, long startMicros, long end) {
        byte[] line = (startMicros + " " + end + " " + ProcessHandle.current().pid() + " " + what + " "
                + (id.isEmpty() ? "-" : id) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (ShimTiming.class) {
            PrintStream log = log();
            if (log != null) {
                log.write(line, 0, line.length);
                log.flush();
            }
        }
    }

    private static synchronized PrintStream log() {
        if (out == null) {
            try {
                out = new PrintStream(new FileOutputStream(FILE, true), false, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return null; // a timing log that cannot be written changes nothing else
            }
        }
        return out;
    }

    /**
     * The serving shim's stderr (/dev/null once start let go of it) becomes the timing log, so
     * that jrun's own phase marks ({@code JRUN_TIMING=1}, {@link jrun.base.Timing}) of the
     * create and exec paths land between the request lines.
     */
    static void takeStderr() {
        PrintStream log = log();
        if (log != null) {
            System.setErr(log);
        }
    }

    /**
     * A sub-command's two spans: {@code jvm}, from the launcher's clock reading
     * (JRUN_SHIM_LAUNCHED, set only when timing is on) to {@code main}, the JVM's own start; and
     * the sub-command's ({@code start}: to the address printed, all containerd waits for;
     * {@code delete}: to its answer), but for the exit of its JVM, a few milliseconds.
     */
    static void subcommand(String action, String id, long mainMicros) {
        String launched = Environment.get(LAUNCHED);
        if (launched == null) {
            return;
        }
        try {
            long launchedMicros = Long.parseLong(launched.trim()) / 1000;
            record("jvm", id, launchedMicros, mainMicros);
            record(action, id, launchedMicros);
        } catch (NumberFormatException e) {
            // a launcher without date's %N: no start spans
        }
    }
}
