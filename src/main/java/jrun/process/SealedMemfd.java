package jrun.process;

import static jrun.sys.Kernel.F_ADD_SEALS;
import static jrun.sys.Kernel.F_ALL_SEALS;
import static jrun.sys.Kernel.MFD_ALLOW_SEALING;
import static jrun.sys.Kernel.MFD_CLOEXEC;
import static jrun.sys.Kernel.MFD_EXEC;

import java.lang.foreign.Arena;
import jrun.sys.NativeCopy;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * A memfd that the child maps or takes as its exe in place of a host file: once sealed, no one
 * who reaches it through /proc/PID (map_files, exe) can write, shrink or grow it.
 */
final class SealedMemfd {
    private SealedMemfd() {}

    /**
     * A new close-on-exec memfd that may be sealed and executed (asked for explicitly: with
     * vm.memfd_noexec set, a memfd is not executable).
     */
    static int create(String name, String purpose) {
        try (Arena arena = Arena.ofConfined()) {
            long cName = NativeCopy.cString(arena, name).address();
            long fd = Sys.attempt(SyscallNr.MEMFD_CREATE, cName, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
            if (fd < 0) { // before Linux 6.3 there is no MFD_EXEC, and every memfd is executable
                fd = Sys.call("create a memfd for " + purpose, SyscallNr.MEMFD_CREATE, cName,
                        MFD_CLOEXEC | MFD_ALLOW_SEALING);
            }
            return (int) fd;
        }
    }

    /** Seals {@code fd} as it is now: F_SEAL_SEAL, SHRINK, GROW and WRITE. */
    static void seal(int fd, String purpose) {
        Sys.call("seal " + purpose, SyscallNr.FCNTL, fd, F_ADD_SEALS, F_ALL_SEALS);
    }
}
