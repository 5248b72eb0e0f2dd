package jrun.shim;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jrun.linux.MountOptions;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * The root filesystem containerd's snapshotter prepared (an overlay, or a bind of a directory),
 * mounted on {@code BUNDLE/rootfs} as runc's shim does before {@code create}, and unmounted
 * after {@code delete} (or a failed create).
 */
final class RootfsMounts {
    /** containerd.types.Mount. */
    record Mount(String type, String source, List<String> options) {}

    private static final long MS_RDONLY = 1;
    private static final long MS_REMOUNT = 32;
    private static final long MS_BIND = 4096;
    private static final long MS_REC = 16384;
    private static final long MNT_DETACH = 2;
    /** The per-mount flags mount(2) and mount_setattr share bit for bit: ro, nosuid, nodev, noexec. */
    private static final long SHARED_ATTR_BITS = 0xf;

    private RootfsMounts() {}

    static Path rootfs(Path bundle) {
        return bundle.resolve("rootfs");
    }

    /** Mounts {@code mounts} in order on the bundle's rootfs; on failure unmounts what it mounted. */
    static void mount(Path bundle, List<Mount> mounts) throws IOException {
        if (mounts.isEmpty()) {
            return;
        }
        Path target = rootfs(bundle);
        if (!Files.isDirectory(target)) {
            Files.createDirectory(target);
        }
        List<Mount> done = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            for (Mount m : mounts) {
                MountOptions o = MountOptions.parse(m.options());
                long flags = o.attrSet() & SHARED_ATTR_BITS;
                String data = String.join(",", o.data());
                long type = m.type().isEmpty() || o.bind() ? 0 : arena.allocateFrom(m.type()).address();
                if (o.bind()) {
                    flags = MS_BIND | (o.recursiveBind() ? MS_REC : 0);
                }
                String what = "mount " + m.type() + " " + m.source() + " on " + target;
                Sys.call(what, SyscallNr.MOUNT, arena.allocateFrom(m.source()).address(),
                        arena.allocateFrom(target.toString()).address(), type, flags,
                        data.isEmpty() ? 0 : arena.allocateFrom(data).address());
                done.add(m);
                if (o.bind() && o.readonly()) {
                    // A bind is made with its source's flags; read-only takes a remount.
                    Sys.call("remount " + target + " read-only", SyscallNr.MOUNT, 0,
                            arena.allocateFrom(target.toString()).address(), 0, MS_BIND | MS_REMOUNT | MS_RDONLY, 0);
                }
            }
        } catch (RuntimeException e) {
            unmountAll(bundle);
            throw e;
        }
    }

    /**
     * Whether something is mounted on the bundle's rootfs, from /proc/self/mountinfo (true when
     * it cannot be read): the delete sub-command after a shim's clean Shutdown finds nothing,
     * and skips the umount, whose first system call through FFM would link FFM in its JVM.
     */
    static boolean mounted(Path bundle) {
        try {
            return listsMountPoint(Files.readString(Path.of("/proc/self/mountinfo")), rootfs(bundle).toString());
        } catch (IOException e) {
            return true;
        }
    }

    /** Whether a mountinfo text has a mount on {@code path} (its fifth field, octal-escaped as the kernel writes it). */
    static boolean listsMountPoint(String mountinfo, String path) {
        String escaped = path.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011")
                .replace("\n", "\\012");
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ", 6);
            if (f.length > 4 && f[4].equals(escaped)) {
                return true;
            }
        }
        return false;
    }

    /** Unmounts everything stacked on the bundle's rootfs (nothing there is not an error). */
    static void unmountAll(Path bundle) {
        try (Arena arena = Arena.ofConfined()) {
            long path = arena.allocateFrom(rootfs(bundle).toString()).address();
            while (Sys.attempt(SyscallNr.UMOUNT2, path, MNT_DETACH) == 0) {
                // one layer at a time, as containerd's mount.UnmountAll
            }
        }
    }
}
