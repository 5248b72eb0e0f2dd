package jrun.sys;

import jrun.base.Environment;

/**
 * How jrun's process ends. {@link Runtime#halt} takes the JVM's own way out: a VM operation at
 * a safepoint that stops the JVM's threads and tears its subsystems down, a measurable part of every
 * {@code run} (figures in the commit that made this class). Once the FFM handle is
 * linked (the commands that fork, and those that already made a system call), the process ends
 * with one {@code exit_group}, as a Go runtime's does: jrun registers no shutdown hook and has
 * flushed its output by then (its log writes through unbuffered), so nothing of the JVM's exit is
 * needed. Except while an AOT cache is being recorded ({@code bin/aot-training}): the JVM writes it
 * on its own exit.
 */
public final class ProcessExit {
    private static volatile boolean syscallsLinked;

    private ProcessExit() {}

    /** Called by {@link Native} once its handle is linked. */
    static void syscallsLinked() {
        syscallsLinked = true;
    }

    /** Ends the process with {@code status}; never returns. Output must have been flushed. */
    public static void exit(int status) {
        if (syscallsLinked && Environment.get("JRUN_AOT_TRAINING") == null) {
            Native.syscall(Native.threadCapture(), SyscallNr.EXIT_GROUP.nr(), status, 0, 0, 0, 0, 0);
        }
        Runtime.getRuntime().halt(status);
    }
}
