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
 * the {@code --log} file to explain a failed command.
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
            // logrus's JSONFormatter: Go's json.Encoder, keys sorted, HTML escaped. By hand: the
            // base layer is below jrun.json.
            StringBuilder line = new StringBuilder(msg.length() + 80).append("{\"level\":\"").append(lvl)
                    .append("\",\"msg\":");
            appendQuoted(msg, line, true);
            out.println(line.append(",\"time\":\"").append(time).append("\"}"));
        } else {
            out.println("time=\"" + time + "\" level=" + lvl + " msg=" + quote(msg));
        }
        out.flush();
    }

    /*
     * JSON string literals with Go's encoding/json rules, here rather than in a class of their
     * own: also valid for logrus's quoted text values, used by the log line, by error messages
     * quoting a value and by jrun.json's writer, and Log is loaded on every command anyway (one
     * class less to load).
     */

    /** {@code s} as a JSON string literal, e.g. for messages that quote a value (no HTML escaping). */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        appendQuoted(s, b, false);
        return b.toString();
    }

    /**
     * Appends {@code s} as Go's encoding/json writes a string (runc 1.1's Go 1.19): {@code "},
     * {@code \}, {@code \n}, {@code \r}, {@code \t} escaped by a backslash, other control
     * characters and U+2028, U+2029 as a backslash-u escape, with {@code escapeHtml} (json.Marshal's
     * default) also {@code <}, {@code >}, {@code &}; an unpaired surrogate, which Go's UTF-8
     * strings cannot hold, as U+FFFD.
     */
    public static void appendQuoted(String s, StringBuilder out, boolean escapeHtml) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || (escapeHtml && (c == '<' || c == '>' || c == '&'))
                    || c == '\u2028' || c == '\u2029') {
                // Not String.format: its first use loads java.util.Formatter and locale data.
                out.append("\\u").append(HEX.charAt(c >> 12)).append(HEX.charAt((c >> 8) & 0xf))
                        .append(HEX.charAt((c >> 4) & 0xf)).append(HEX.charAt(c & 0xf));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    out.append(c).append(s.charAt(++i));
                } else {
                    out.append("\\ufffd");
                }
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
