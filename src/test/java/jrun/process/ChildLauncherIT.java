package jrun.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jrun.sys.Errno;
import jrun.sys.SyscallNr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fork protocol against the real kernel: clone3 into namespaces, run a program, exec. */
class ChildLauncherIT {
    @TempDir
    Path tmp;

    @Test
    void childExecsInNewUtsAndPidNamespaces() throws Exception {
        Path out = tmp.resolve("out");
        try (Arena arena = Arena.ofShared()) {
            ChildLauncher.Pipes pipes = ChildLauncher.Pipes.open(arena);
            ProgramBuilder b = new ProgramBuilder(arena);
            ChildLauncher.emitPrologue(b, pipes);
            b.step("set the hostname");
            String host = "jrun-test";
            b.call(SyscallNr.SETHOSTNAME, b.cstr(host), host.length());
            b.step("exec the shell");
            b.call(SyscallNr.EXECVE, b.cstr("/bin/sh"),
                    b.cstrArray(List.of("sh", "-c", "echo \"$(hostname) $$\" > " + out)), b.cstrArray(List.of()));
            ChildLauncher.Child child = ChildLauncher.start(b.build(), pipes,
                    ChildLauncher.CLONE_NEWUTS | ChildLauncher.CLONE_NEWPID, -1);
            ChildLauncher.resume(child);
            ChildLauncher.await(child, 0);
            assertEquals(0, ChildLauncher.reap(child));
        }
        assertEquals("jrun-test 1", Files.readString(out).strip());
    }

    /**
     * exec's fork into the container's pid namespace (here: the child's own, made with
     * unshare): the process that goes on is jrun's child (CLONE_PARENT), jrun learns its pid as
     * its own namespace numbers it, the forking child is killed and reaped, and the process
     * goes on only once jrun lets it: it runs in the new namespace (pid 1 there).
     */
    @Test
    void theForkedProcessIsAdoptedAndTheForkingChildIsGone() throws Exception {
        Path out = tmp.resolve("out");
        try (Arena arena = Arena.ofShared()) {
            ChildLauncher.Pipes pipes = ChildLauncher.Pipes.open(arena);
            ProgramBuilder b = new ProgramBuilder(arena);
            ChildLauncher.emitPrologue(b, pipes);
            b.step("make a pid namespace for the children");
            b.call(SyscallNr.UNSHARE, ChildLauncher.CLONE_NEWPID);
            ChildLauncher.emitForkVisible(b, pipes);
            b.step("exec the shell");
            b.call(SyscallNr.EXECVE, b.cstr("/bin/sh"), b.cstrArray(List.of("sh", "-c",
                    "echo \"$$ $(cut -d' ' -f4 /proc/$$/stat)\" > " + out)), b.cstrArray(List.of()));
            ChildLauncher.Child forking = ChildLauncher.start(b.build(), pipes, 0, -1);
            ChildLauncher.resume(forking);
            ChildLauncher.Child forked = ChildLauncher.adoptForked(forking);
            assertTrue(forked.pid() != forking.pid());
            assertTrue(Files.notExists(Path.of("/proc/" + forking.pid())), "the forking child is reaped");
            assertTrue(Files.readString(Path.of("/proc/" + forked.pid() + "/status")).contains(
                    "\nPPid:\t" + ProcessHandle.current().pid() + "\n"), "the forked process is the caller's child");
            ChildLauncher.resume(forked);
            ChildLauncher.await(forked, 0);
            assertEquals(0, ChildLauncher.reap(forked));
            jrun.sys.Sys.attempt(SyscallNr.CLOSE, forked.pidfd());
            forked.pipes().closeParentEnds();
        }
        // pid 1 of the new namespace; its parent outside it reads as 0
        assertEquals("1 0", Files.readString(out).strip());
    }

    /**
     * The child must not allocate: an allocation that needs a new TLAB when eden is full waits
     * for a GC by the VM thread, which the fork did not copy (seen here: children frozen in
     * SerialHeap::mem_allocate_work). Runs under bin/jrun's -Xint, like the real child. Every
     * round counts, not the best: a method handle customized after its 127th call allocated
     * 66 KB in one round only (Native.CUSTOMIZE_THRESHOLD).
     */
    @Test
    void theChildsPathAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofShared()) {
            ProgramBuilder b = new ProgramBuilder(arena);
            ProgramBuilder.Reg r = b.newReg();
            for (int i = 0; i < 50; i++) {
                b.call(SyscallNr.GETPID).into(r);
                b.call(SyscallNr.CLOSE, -1).ignoring(Errno.EBADF);
            }
            b.call(SyscallNr.CLOSE, -1);
            Program program = b.build();
            long[] regs = new long[program.registers()];
            java.lang.foreign.MemorySegment errno = jrun.sys.Native.errnoLocation();
            java.lang.foreign.MemorySegment table = arena.allocate(4L * 4096);
            ChildLauncher.warmUp();
            for (int round = 0; round < 5; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                int failed = ChildInterpreter.run(program.ops(), regs, errno, SyscallNr.WRITE.nr(), -1,
                        table.address(), table.address());
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertEquals(program.currentStepOf(program.opCount() - 1), failed);
                assertEquals(0, allocated, "bytes allocated by 101 system calls in the child's interpreter, round " + round);
            }
        }
    }

    @Test
    void aFailedStepIsReportedWithItsDescriptionAndErrno() {
        try (Arena arena = Arena.ofShared()) {
            ChildLauncher.Pipes pipes = ChildLauncher.Pipes.open(arena);
            ProgramBuilder b = new ProgramBuilder(arena);
            ChildLauncher.emitPrologue(b, pipes);
            b.step("change into /does/not/exist");
            b.call(SyscallNr.CHDIR, b.cstr("/does/not/exist"));
            ChildLauncher.Child child = ChildLauncher.start(b.build(), pipes, ChildLauncher.CLONE_NEWUTS, -1);
            ChildLauncher.resume(child);
            StepFailedException e = assertThrows(StepFailedException.class, () -> ChildLauncher.await(child, 0));
            assertEquals(Errno.ENOENT, e.errno());
            assertTrue(e.getMessage().contains("change into /does/not/exist"), e.getMessage());
            assertEquals(1, ChildLauncher.reap(child));
        }
    }
}
