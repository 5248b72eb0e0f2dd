package jrun.sys;

import java.io.IOException;
import java.nio.file.Path;
import jrun.base.JrunException;

/**
 * The effective user and group jrun runs as, from /proc/self/status: no native call (and no FFM
 * link) for two numbers.
 */
public record Identity(long uid, long gid) {
    public boolean isRoot() {
        return uid == 0;
    }

    public static Identity current() {
        try {
            return parseStatus(ProcFiles.read(Path.of("/proc/self/status")));
        } catch (IOException e) {
            throw new JrunException("cannot read the current user and group ids from /proc/self/status: " + e, e);
        }
    }

    /** "Uid:\treal\teffective\tsaved\tfs" and the same for "Gid:". */
    public static Identity parseStatus(String status) {
        long uid = -1;
        long gid = -1;
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                uid = Long.parseLong(line.split("\\s+")[2]);
            } else if (line.startsWith("Gid:")) {
                gid = Long.parseLong(line.split("\\s+")[2]);
            }
        }
        if (uid < 0 || gid < 0) {
            throw new JrunException("cannot find the current user and group ids in /proc/self/status");
        }
        return new Identity(uid, gid);
    }

    /** Read once: a process's user namespace is fixed for its life (jrun's JVM never unshares or joins one). */
    private static volatile Boolean inUserNamespace;

    /**
     * Whether jrun runs in a user namespace other than the host's: the initial one maps every
     * id to itself, {@code 0 0 4294967295}. The rootless mode, the default root and the device
     * planning of one create each ask.
     */
    public static boolean inUserNamespace() {
        Boolean known = inUserNamespace;
        if (known == null) {
            known = readUidMap();
            inUserNamespace = known;
        }
        return known;
    }

    private static boolean readUidMap() {
        try {
            String[] f = ProcFiles.read(Path.of("/proc/self/uid_map")).trim().split("\\s+");
            return !(f.length == 3 && f[0].equals("0") && f[1].equals("0") && f[2].equals("4294967295"));
        } catch (IOException e) {
            return false;
        }
    }
}
