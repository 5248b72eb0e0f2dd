package jrun.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import jrun.sys.ProcFiles;

/**
 * The two fields of {@code /proc/<pid>/stat} that identify a live process: its state letter
 * (field 3: R, S, D, Z for a zombie, ...) and its start time (field 22, clock ticks after boot).
 * A pid can be reused after its process is reaped; pid plus start time cannot.
 */
public record ProcStat(int pid, char state, long startTime) {

    public boolean isZombie() {
        // X (dead) is only ever seen for an instant, but it is not alive either.
        return state == 'Z' || state == 'X' || state == 'x';
    }

    /** Reads {@code /proc/<pid>/stat}; null when there is no such process. */
    public static ProcStat read(int pid) {
        if (pid <= 0) {
            return null;
        }
        String content;
        try {
            content = ProcFiles.read(Path.of("/proc", Integer.toString(pid), "stat"));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // ESRCH when the process exits between open and read.
            return null;
        }
        return parse(pid, content);
    }

    /**
     * Parses the content of {@code /proc/<pid>/stat}. Field 2, the command name, is in
     * parentheses and may itself contain spaces and ')', so fields are counted from the last
     * ')'.
     */
    public static ProcStat parse(int pid, String content) {
        int close = content.lastIndexOf(')');
        if (close < 0 || close + 2 >= content.length()) {
            throw new IllegalArgumentException("malformed /proc/" + pid + "/stat: " + content);
        }
        String[] fields = content.substring(close + 2).trim().split(" ");
        // fields[0] is field 3 (state), so field 22 (starttime) is fields[19].
        if (fields.length < 20 || fields[0].length() != 1) {
            throw new IllegalArgumentException("malformed /proc/" + pid + "/stat: " + content);
        }
        try {
            return new ProcStat(pid, fields[0].charAt(0), Long.parseLong(fields[19]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed /proc/" + pid + "/stat: " + content, e);
        }
    }
}
