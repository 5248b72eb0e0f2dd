package jrun.process;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jrun.sys.Kernel.AT_EMPTY_PATH;
import static jrun.sys.Kernel.AT_FDCWD;
import static jrun.sys.Kernel.AT_RECURSIVE;
import static jrun.sys.Kernel.MOUNT_ATTR_IDMAP;
import static jrun.sys.Kernel.OPEN_TREE_CLONE;
import static jrun.sys.Kernel.O_CLOEXEC;
import static jrun.sys.Kernel.O_RDONLY;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import jrun.base.JrunException;
import jrun.linux.ContainerPlan;
import jrun.linux.MountStep;
import jrun.linux.NamespaceKind;
import jrun.sys.Errno;
import jrun.sys.NativeCopy;
import jrun.sys.Sys;
import jrun.sys.SysException;
import jrun.sys.SyscallNr;

/**
 * Idmapped bind mounts ({@code idmap}, {@code ridmap}, a mount's uidMappings and gidMappings),
 * made by jrun before the init is forked, as runc makes them in its parent: mount_setattr's
 * MOUNT_ATTR_IDMAP needs CAP_SYS_ADMIN in the user namespace that owns the source's file system
 * (the host's), which the init, born in the container's user namespace, does not have. Each is
 * a detached clone of the source, idmapped through a user namespace holding the mount's maps;
 * the init inherits its fd and only attaches it (InitProgram.bindMount).
 *
 * <p>The container's user namespace joined by path is used as it is. A user namespace with
 * given maps needs a process in it while the maps are written: a
 * clone of jrun into a new user namespace that says hello and waits (ChildLauncher's
 * prologue), killed as soon as jrun holds the namespace's fd.
 */
public final class IdmappedMounts implements AutoCloseable {

    private final Map<String, Integer> trees = new HashMap<>();

    private IdmappedMounts() {}

    /** The detached trees per mount pointer (for InitProgram.MountHandover). */
    public Map<String, Integer> trees() {
        return trees;
    }

    public static IdmappedMounts prepare(ContainerPlan plan) {
        IdmappedMounts out = new IdmappedMounts();
        try {
            for (MountStep m : plan.mounts()) {
                if (m instanceof MountStep.Bind bind && bind.idmap() != null) {
                    out.trees.put(bind.pointer(), idmappedTree(bind));
                }
            }
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    private static int idmappedTree(MountStep.Bind bind) {
        String where = "config.json " + bind.pointer();
        try (Arena arena = Arena.ofConfined()) {
            int userns = userNamespaceOf(arena, bind, where);
            long tree = -1;
            try {
                tree = Sys.call("clone " + bind.source() + " for an idmapped mount (" + where + ")",
                        SyscallNr.OPEN_TREE, AT_FDCWD, NativeCopy.cString(arena, bind.source()).address(),
                        OPEN_TREE_CLONE | O_CLOEXEC | (bind.recursive() ? AT_RECURSIVE : 0));
                MemorySegment attr = arena.allocate(32, 8);
                attr.set(JAVA_LONG, 0, MOUNT_ATTR_IDMAP);
                attr.set(JAVA_LONG, 24, userns);
                Sys.call("idmap the mount of " + bind.source() + " (" + where + ")", SyscallNr.MOUNT_SETATTR, tree,
                        NativeCopy.cString(arena, "").address(),
                        AT_EMPTY_PATH | (bind.idmap().recursive() ? AT_RECURSIVE : 0), attr.address(), 32);
                return (int) tree;
            } catch (SysException e) {
                if (tree >= 0) {
                    Sys.attempt(SyscallNr.CLOSE, tree);
                }
                throw new JrunException(e.getMessage() + hint(e.errno()), e);
            } finally {
                Sys.attempt(SyscallNr.CLOSE, userns);
            }
        }
    }

    /** The container's user namespace joined by path, or a new one with the mount's maps. */
    private static int userNamespaceOf(Arena arena, MountStep.Bind bind, String where) {
        String path = bind.idmap().usernsPath();
        if (path == null) {
            return userNamespace(arena, bind.idmap(), bind.pointer());
        }
        try {
            return (int) Sys.call("open the user namespace " + path + " (" + where + ")", SyscallNr.OPENAT, AT_FDCWD,
                    NativeCopy.cString(arena, path).address(), O_RDONLY | O_CLOEXEC);
        } catch (SysException e) {
            throw new JrunException(e.getMessage(), e);
        }
    }

    private static String hint(int errno) {
        return errno == Errno.EINVAL
                ? " (the source's file system may not support idmapped mounts, or the source is idmapped already)"
                : "";
    }

    /** A user namespace with the maps, held by the returned fd. */
    private static int userNamespace(Arena arena, MountStep.IdMap maps, String pointer) {
        String where = "config.json " + pointer;
        ChildLauncher.Pipes pipes = ChildLauncher.Pipes.open(arena);
        ProgramBuilder b = new ProgramBuilder(arena);
        b.role("the user namespace of an idmapped mount (" + where + ")");
        ChildLauncher.emitPrologue(b, pipes);
        ChildLauncher.Child holder;
        try {
            holder = ChildLauncher.start(b.build(), pipes, NamespaceKind.USER.cloneFlag(), -1);
        } catch (RuntimeException e) {
            pipes.closeParentEnds();
            throw e;
        }
        try {
            Path proc = Path.of("/proc", Integer.toString(holder.pid()));
            ParentSetup.writeProcFile(proc.resolve("uid_map"), maps.uidMap(), pointer + "/uidMappings");
            ParentSetup.writeProcFile(proc.resolve("gid_map"), maps.gidMap(), pointer + "/gidMappings");
            return (int) Sys.call("open the user namespace of an idmapped mount (" + where + ")", SyscallNr.OPENAT,
                    AT_FDCWD, NativeCopy.cString(arena, proc.resolve("ns/user").toString()).address(),
                    O_RDONLY | O_CLOEXEC);
        } finally {
            ChildLauncher.abandon(holder, new RuntimeException("done"));
        }
    }

    @Override
    public void close() {
        for (int fd : trees.values()) {
            Sys.attempt(SyscallNr.CLOSE, fd);
        }
        trees.clear();
    }
}
