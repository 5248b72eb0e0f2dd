package jrun.hooks;

import jrun.linux.Signals;

/**
 * How a hook process ended: an exit status, or the signal that killed it ({@code signal > 0}).
 */
public record HookExit(int code, int signal) {
    public static HookExit exited(int code) {
        return new HookExit(code, 0);
    }

    public static HookExit killedBy(int signal) {
        return new HookExit(0, signal);
    }

    public boolean success() {
        return code == 0 && signal == 0;
    }

    /** "exit status 1", "killed by signal 9 (SIGKILL)". */
    public String describe() {
        if (signal > 0) {
            return "killed by signal " + signal + " (" + Signals.name(signal) + ")";
        }
        // The JDK reports a process killed by signal N as exit status 128+N, as shells do for
        // their commands, so a launcher built on java.lang.Process cannot tell the two apart:
        // the hint names the signal without claiming it.
        if (code > 128 && code <= 128 + 64) {
            return "exit status " + code + " (128+" + Signals.name(code - 128) + ")";
        }
        return "exit status " + code;
    }
}
