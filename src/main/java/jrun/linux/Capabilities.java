package jrun.linux;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import jrun.sys.ProcFiles;

/** Capability names and numbers (linux/capability.h), bounded by what the running kernel knows. */
public final class Capabilities {
    private static final List<String> NAMES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
            "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    private static volatile int lastCap = -1;

    private Capabilities() {}

    /** The number of a capability name, or -1 when it is unknown. */
    public static int number(String name) {
        return NAMES.indexOf(name);
    }

    public static String name(int number) {
        return number < NAMES.size() ? NAMES.get(number) : "CAP_" + number;
    }

    /** The highest capability number of the running kernel (/proc/sys/kernel/cap_last_cap). */
    public static int lastCap() {
        int l = lastCap;
        if (l < 0) {
            try {
                l = Integer.parseInt(ProcFiles.read(Path.of("/proc/sys/kernel/cap_last_cap")).strip());
            } catch (IOException | NumberFormatException e) {
                l = NAMES.size() - 1;
            }
            lastCap = l;
        }
        return l;
    }

    /**
     * Every name this build recognises, in number order, whatever the running kernel knows (a
     * config may name the newer ones: they are dropped on an older kernel, not refused).
     */
    public static List<String> all() {
        return NAMES;
    }

    /** Names known to this build, capped at what the kernel knows. */
    public static List<String> known() {
        return NAMES.subList(0, Math.min(NAMES.size(), lastCap() + 1));
    }
}
