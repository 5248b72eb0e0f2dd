package jrun.linux.cgroups;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import jrun.base.JrunException;
import jrun.sys.Errno;
import jrun.sys.NativeCopy;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/** bpf(2) for the device filter: load a BPF_PROG_TYPE_CGROUP_DEVICE program and attach it to a cgroup. */
final class Bpf {
    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_PROG_ATTACH = 8;
    private static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    private static final int BPF_CGROUP_DEVICE = 6;
    /** Lets the programs of parent cgroups run as well, as runc attaches. */
    private static final int BPF_F_ALLOW_MULTI = 2;
    /** Large enough for every union bpf_attr field jrun sets; the kernel wants the rest zero. */
    private static final int ATTR_SIZE = 128;
    private static final int LOG_SIZE = 1 << 16;

    private Bpf() {}

    /** Loads {@code insns} (struct bpf_insn[]) and returns the program's fd. */
    static int loadDeviceProgram(byte[] insns) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment code = arena.allocate(insns.length, 8);
            code.copyFrom(MemorySegment.ofArray(insns));
            MemorySegment license = NativeCopy.cString(arena, "Apache-2.0");
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, BPF_PROG_TYPE_CGROUP_DEVICE);
            attr.set(JAVA_INT, 4, insns.length / 8);
            attr.set(JAVA_LONG, 8, code.address());
            attr.set(JAVA_LONG, 16, license.address());
            MemorySegment.copy(MemorySegment.ofArray("jrun_devices".getBytes(StandardCharsets.US_ASCII)), 0, attr, 48, 12);
            long fd = Sys.attempt(SyscallNr.BPF, BPF_PROG_LOAD, attr.address(), ATTR_SIZE);
            if (fd >= 0) {
                return (int) fd;
            }
            // Again with the verifier's log, to say why.
            MemorySegment log = arena.allocate(LOG_SIZE);
            attr.set(JAVA_INT, 24, 1);
            attr.set(JAVA_INT, 28, LOG_SIZE);
            attr.set(JAVA_LONG, 32, log.address());
            long again = Sys.attempt(SyscallNr.BPF, BPF_PROG_LOAD, attr.address(), ATTR_SIZE);
            if (again >= 0) {
                return (int) again;
            }
            String verifier = log.getString(0).strip();
            throw new JrunException("cannot load the device filter (eBPF) for the container's cgroup: "
                    + Errno.describe((int) -fd) + (verifier.isEmpty() ? "" : "; verifier: " + verifier));
        }
    }

    /** Attaches a device program to the cgroup open at {@code cgroupFd}. */
    static void attachDeviceProgram(int cgroupFd, int programFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, cgroupFd);
            attr.set(JAVA_INT, 4, programFd);
            attr.set(JAVA_INT, 8, BPF_CGROUP_DEVICE);
            attr.set(JAVA_INT, 12, BPF_F_ALLOW_MULTI);
            Sys.call("attach the device filter to the container's cgroup", SyscallNr.BPF, BPF_PROG_ATTACH,
                    attr.address(), ATTR_SIZE);
        }
    }
}
