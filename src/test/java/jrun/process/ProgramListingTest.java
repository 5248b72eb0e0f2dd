package jrun.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.List;
import jrun.process.ProgramBuilder.Label;
import jrun.process.ProgramBuilder.Reg;
import jrun.sys.Errno;
import jrun.sys.Kernel;
import jrun.sys.SyscallNr;
import org.junit.jupiter.api.Test;

/** How a program reads: calls by name, strings and structs from native memory, flags by name, control flow. */
class ProgramListingTest {
    @Test
    void decodesArgumentsRegistersAndErrorHandling() {
        try (Arena arena = Arena.ofConfined()) {
            ProgramBuilder b = new ProgramBuilder(arena);
            b.step("open something");
            Reg fd = b.newReg();
            Label missing = b.label();
            b.call(SyscallNr.OPENAT, Kernel.AT_FDCWD, b.cstr("/etc/hosts"), Kernel.O_PATH | Kernel.O_CLOEXEC | 0x40000000L, 0)
                    .into(fd).onErrno(Errno.ENOENT, missing);
            b.call(SyscallNr.WRITE, fd, b.cstr("0"), 1).expect(1);
            b.call(SyscallNr.MKDIRAT, fd, b.cstr("dir"), 0755).ignoring(Errno.EEXIST);
            b.bind(missing);
            b.step("mount");
            b.call(SyscallNr.MOUNT, 0, b.cstr("/"), 0, Kernel.MS_REC | jrun.linux.MountAttr.MS_PRIVATE, 0);
            b.call(SyscallNr.EXECVE, b.cstr("/bin/sh"), b.cstrArray(List.of("sh", "-c", "x")), b.cstrArray(List.of()));
            b.set(fd, 7);
            b.jump(missing);
            b.fail(Errno.EPERM);
            List<ProgramListing.Line> lines = ProgramListing.lines(b.build());
            assertEquals(List.of(
                    "0: openat(AT_FDCWD, \"/etc/hosts\", O_CLOEXEC|O_PATH|0x40000000, 00) -> r0, ENOENT: goto 3",
                    "1: write(r0, \"0\", 1), expect 1",
                    "2: mkdirat(r0, \"dir\", 0755), EEXIST ignored",
                    "3: mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL)",
                    "4: execve(\"/bin/sh\", [\"sh\", \"-c\", \"x\"], [])",
                    "5: r0 = 7",
                    "6: goto 3",
                    "7: fail EPERM"), lines.stream().map(ProgramListing.Line::toString).toList());
            assertEquals("open something", lines.get(0).step());
            assertEquals("mount", lines.get(3).step());
        }
    }

    @Test
    void rendersStepsAsHeadingsAndBinaryBuffersInHex() {
        try (Arena arena = Arena.ofConfined()) {
            ProgramBuilder b = new ProgramBuilder(arena);
            b.role("exec");
            b.step("report");
            var record = b.buffer(2);
            record.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 0xfe);
            b.call(SyscallNr.WRITE, 11, record.address(), 2);
            String text = ProgramListing.render(b.build());
            assertEquals("exec program, 1 ops, 0 registers\n# report\n  0: write(11, <fe 00>, 2)\n", text);
        }
    }

    @Test
    void everyCallOfTheInitAndExecProgramsHasItsArgumentsNamed() {
        try (Arena arena = Arena.ofConfined()) {
            var plan = CompiledPrograms.plan(InitProgramListingTest.CONFIG);
            for (Program p : List.of(CompiledPrograms.init(arena, plan, CompiledPrograms.ALLOW_ALL),
                    CompiledPrograms.exec(arena, plan, CompiledPrograms.ALLOW_ALL, List.of()))) {
                for (ProgramListing.Line line : ProgramListing.lines(p)) {
                    assertTrue(!line.text().startsWith("syscall "), "a call without a name: " + line);
                }
            }
        }
    }
}
