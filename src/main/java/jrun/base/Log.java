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
    private static final String HEX = "0123456789abcdef";

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

    /*
     * JSON string literals, here rather than in a class of their own: also valid for logrus's
     * quoted text values, used by the log line, by error messages quoting a value and by
     * jrun.json's writer, and Log is loaded on every command anyway (one class less to load).
     */

    /** {@code s} as a JSON string literal, e.g. for messages that quote a value. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        appendQuoted(s, b);
        return b.toString();
    }

    public static void appendQuoted(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        // Not String.format: its first use loads java.util.Formatter and locale data.
                        out.append("\\u00").append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
