package jrun.base;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * runc's logging: logrus text lines ({@code time="..." level=error msg="..."}) or JSON lines
 * ({@code {"level":"error","msg":"...","time":"..."}}), which containerd's shim reads back from
 * the {@code --log} file to explain a failed command. Written by hand so that logging never
 * loads a JSON library on the start-up path.
 */
public final class Log {
    public enum Level { DEBUG, INFO, WARN, ERROR }

    private final PrintStream out;
    private final boolean json;
    private final boolean debug;
    private final boolean toFile;

    private Log(PrintStream out, boolean json, boolean debug, boolean toFile) {
        this.out = out;
        this.json = json;
        this.debug = debug;
        this.toFile = toFile;
    }

    /** Logs to {@code path} (appending) or, when it is null or empty, to stderr. */
    public static Log open(String path, String format, boolean debug) {
        boolean json = switch (format == null ? "text" : format) {
            case "text" -> false;
            case "json" -> true;
            default -> throw new CliException("invalid log format \"" + format + "\": expected text or json");
        };
        if (path == null || path.isEmpty() || path.equals("/dev/stderr")) {
            return new Log(System.err, json, debug, false);
        }
        try {
            OutputStream os = new FileOutputStream(path, true);
            return new Log(new PrintStream(os, true, StandardCharsets.UTF_8), json, debug, true);
        } catch (IOException e) {
            throw new CliException("cannot open log file " + path + ": " + e.getMessage(), ExitCodes.FAILURE);
        }
    }

    public static Log stderr() {
        return new Log(System.err, false, false, false);
    }

    public boolean debugEnabled() {
        return debug;
    }

    /** True when entries go to a file, so errors must also reach stderr for a human caller. */
    public boolean toFile() {
        return toFile;
    }

    public void debug(String msg) {
        if (debug) {
            write(Level.DEBUG, msg);
        }
    }

    public void info(String msg) {
        write(Level.INFO, msg);
    }

    public void warn(String msg) {
        write(Level.WARN, msg);
    }

    public void error(String msg) {
        write(Level.ERROR, msg);
    }

    public synchronized void write(Level level, String msg) {
        String time = Instant.now().toString();
        String lvl = level == Level.WARN ? "warning" : level.name().toLowerCase();
        if (json) {
            out.println("{\"level\":\"" + lvl + "\",\"msg\":" + quote(msg) + ",\"time\":\"" + time + "\"}");
        } else {
            out.println("time=\"" + time + "\" level=" + lvl + " msg=" + quote(msg));
        }
        out.flush();
    }

    /** A JSON string literal; also valid for logrus's quoted text values. */
    public static String quote(String s) {
        return JsonString.quote(s);
    }
}
