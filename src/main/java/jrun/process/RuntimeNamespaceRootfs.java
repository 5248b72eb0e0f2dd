package jrun.process;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jrun.sys.Kernel.MNT_DETACH;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jrun.base.JrunException;
import jrun.state.ContainerState;
import jrun.state.StateStore;
import jrun.sys.Kernel;
import jrun.sys.NativeCopy;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * The mounts of a container without a mount namespace of its own. Its init sets the rootfs up
 * in the runtime's mount namespace (the spec: a namespace not listed is inherited) and chroots
 * into it: there its mounts outlive the init, which runc leaves on the host. jrun's init puts
 * one bind of the rootfs on top of the rootfs path first and every other mount beneath it (see
 * InitProgram), so that one bind, unmounted with MNT_DETACH, takes all of them away, and no
 * mount outside the rootfs path is touched.
 *
 * <p>Which mount is the bind is told by its mount id (statx, unique where the kernel has
 * STATX_MNT_ID_UNIQUE): the id on top of the rootfs path before the init ran is the engine's
 * (an overlay, say) or the file system's and is never unmounted; the id on top once the init
 * is set up is the bind, saved in the state directory for {@code delete}.
 */
public final class RuntimeNamespaceRootfs {
    static final String FILE = "rootfs-mount-id";
    private static final long STATX_MNT_ID = 0x1000;
    private static final long STATX_MNT_ID_UNIQUE = 0x4000;
    private static final long STATX_SIZE = 256;
    private static final long STX_MNT_ID_OFFSET = 144;

    private final String rootfs;
    private final long before;

    private RuntimeNamespaceRootfs(String rootfs, long before) {
        this.rootfs = rootfs;
        this.before = before;
    }

    /** Notes which mount is on top of {@code rootfs} before the init runs. */
    public static RuntimeNamespaceRootfs before(String rootfs) {
        return new RuntimeNamespaceRootfs(rootfs, mountIdAt(rootfs));
    }

    /** Saves the id of the init's bind, on top of the rootfs path now that it is set up. */
    public void saveBind(StateStore store, String id) {
        long bind = mountIdAt(rootfs);
        if (bind == before) {
            throw new JrunException("the container's init left no bind mount at " + rootfs);
        }
        store.saveFile(id, FILE, Long.toString(bind).getBytes(StandardCharsets.UTF_8));
    }

    /** After a failed create: unmounts the init's bind if it got as far as making it. */
    public void undo(Throwable failure) {
        try {
            long top = mountIdAt(rootfs);
            if (top != before) {
                unmount(rootfs, top);
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** {@code delete}'s step: unmounts the bind saved at create, if it is still on top. */
    public static void release(StateStore store, ContainerState state) {
        Path saved = store.containerDir(state.id()).resolve(FILE);
        if (!Files.exists(saved)) {
            return;
        }
        long bind;
        try {
            bind = Long.parseLong(Files.readString(saved).strip());
        } catch (IOException | NumberFormatException e) {
            throw new JrunException("cannot read " + saved + ": " + e.getMessage(), e);
        }
        String rootfs = state.rootfs();
        if (Files.isDirectory(Path.of(rootfs)) && mountIdAt(rootfs) == bind) {
            unmount(rootfs, bind);
        }
    }

    private static void unmount(String rootfs, long mountId) {
        try (Arena arena = Arena.ofConfined()) {
            Sys.call("unmount the container's root filesystem " + rootfs + " (mount " + mountId + ") and every mount under it",
                    SyscallNr.UMOUNT2, NativeCopy.cString(arena, rootfs).address(), MNT_DETACH);
        }
    }

    static long mountIdAt(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(STATX_SIZE, 8);
            Sys.call("find the mount on top of " + path, SyscallNr.STATX, Kernel.AT_FDCWD,
                    NativeCopy.cString(arena, path).address(), 0, STATX_MNT_ID | STATX_MNT_ID_UNIQUE, buffer.address());
            return buffer.get(JAVA_LONG, STX_MNT_ID_OFFSET);
        }
    }
}
