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
        return "exit status " + code;
    }
}
