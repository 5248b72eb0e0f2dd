package jrun.linux;

import java.util.List;
import java.util.Locale;

/** Signal names and numbers as runc's {@code kill} accepts them: KILL, SIGKILL, 9, RTMIN+3. */
public final class Signals {
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    private static final List<String> NAMES = List.of(
            "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
            "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
            "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");
    private static final int SIGRTMIN = 34;
    private static final int SIGRTMAX = 64;

    private Signals() {}

    /** A loop, not a stream: run parses 18 names on its start-up path, interpreted. */
    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The signal number, or -1 when {@code spec} names no signal. */
    public static int parse(String spec) {
        String s = spec.trim();
        if (!s.isEmpty() && allDigits(s)) {
            try {
                int n = Integer.parseInt(s);
                return n >= 1 && n <= SIGRTMAX ? n : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        String name = s.toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        if (name.equals("IOT")) {
            return 6;
        }
        if (name.equals("CLD")) {
            return 17;
        }
        if (name.equals("POLL")) {
            return 29;
        }
        int i = NAMES.indexOf(name);
        if (i > 0) {
            return i;
        }
        if (name.startsWith("RTMIN")) {
            return offset(name.substring(5), SIGRTMIN, 1);
        }
        if (name.startsWith("RTMAX")) {
            return offset(name.substring(5), SIGRTMAX, -1);
        }
        return -1;
    }

    private static int offset(String rest, int base, int direction) {
        if (rest.isEmpty()) {
            return base;
        }
        try {
            int n = Integer.parseInt(rest);
            int sig = base + n;
            return (direction > 0 ? n >= 0 : n <= 0) && sig >= SIGRTMIN && sig <= SIGRTMAX ? sig : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static String name(int sig) {
        return sig > 0 && sig < NAMES.size() ? "SIG" + NAMES.get(sig) : "signal " + sig;
    }
}
