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
            ChildLauncher.go(child);
            ChildLauncher.await(child, 0);
            assertEquals(0, ChildLauncher.reap(child));
        }
        assertEquals("jrun-test 1", Files.readString(out).strip());
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
            ChildLauncher.go(child);
            StepFailedException e = assertThrows(StepFailedException.class, () -> ChildLauncher.await(child, 0));
            assertEquals(Errno.ENOENT, e.errno());
            assertTrue(e.getMessage().contains("change into /does/not/exist"), e.getMessage());
            assertEquals(1, ChildLauncher.reap(child));
        }
    }
}
