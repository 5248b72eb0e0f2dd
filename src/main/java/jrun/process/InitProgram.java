package jrun.process;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jrun.sys.Kernel.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jrun.linux.ContainerPlan;
import jrun.linux.DeviceNode;
import jrun.linux.MountAttr;
import jrun.linux.MountStep;
import jrun.linux.NamespaceKind;
import jrun.linux.ProcessPlan;
import jrun.linux.seccomp.SeccompFilter;
import jrun.process.ProgramBuilder.Label;
import jrun.process.ProgramBuilder.Reg;
import jrun.sys.Errno;
import jrun.sys.NativeCopy;
import jrun.sys.SyscallNr;

/**
 * Compiles a {@link ContainerPlan} into the {@link Program} the container's init runs between
 * clone3 and execve, in runc's order: join namespaces (and unshare the time and cgroup ones),
 * mount propagation, bind the rootfs, the config's mounts, devices, pivot_root (chroot without
 * a mount namespace of its own: see RuntimeNamespaceRootfs), read-only root, hostname,
 * sysctls, read-only and masked paths, rootfsPropagation, cwd, the executable's lookup, rlimits,
 * personality, scheduler, I/O priority and memory policy; umask, no_new_privs, fd hygiene;
 * groups, identity and capabilities (seccomp before the uid and capabilities change without
 * no_new_privs); then report ready and wait on the exec fifo for {@code start}; then (with
 * no_new_privs) the seccomp filter, and execve.
 *
 * <p>Every path inside the container is resolved with openat2(RESOLVE_IN_ROOT) against the
 * rootfs and used through the fd (the new mount API's move_mount, *at calls), never as a
 * string the kernel would resolve on the host: a symlink in the image cannot redirect a
 * mount, a device or the cwd out of the rootfs.
 */
public final class InitProgram {
    /** Record code: the container's mounts are in place, the hooks before pivot_root may run. */
    static final int RECORD_HOOKS = -5;
    /** Record code: a tmpcopyup mount and its destination are parked for jrun to fill (TmpCopyUp). */
    static final int RECORD_COPY_UP = -6;
    /** What the init writes to the exec fifo once start has opened it (ContainerStarter reads it). */
    public static final byte EXEC_FIFO_BYTE = '0';

    /**
     * The files lxcfs emulates: the only places under /proc runc lets a mount other than proc
     * itself go (checkProcMount).
     */
    private static final List<String> LXCFS_PROC_FILES = List.of("/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo",
            "/proc/stat", "/proc/swaps", "/proc/uptime", "/proc/loadavg", "/proc/slabinfo", "/proc/net/dev",
            "/proc/sys/kernel/ns_last_pid");

    /**
     * How this init is launched: {@code fifoFd} is the exec fifo's O_PATH fd start opens;
     * {@code pauseForHooks} stops the init before pivot_root while jrun runs the prestart,
     * createRuntime and createContainer hooks; {@code stdio} fds to put on 0, 1 and 2 (-1 or
     * none keeps jrun's: the CLI's caller's stdio; the shim passes containerd's FIFOs).
     */
    public record Options(int fifoFd, ProcessSetup.Launch launch, boolean pauseForHooks, MountHandover mounts,
                          int[] stdio) {
        public Options(int fifoFd, ProcessSetup.Launch launch, boolean pauseForHooks) {
            this(fifoFd, launch, pauseForHooks, MountHandover.NONE, new int[0]);
        }
    }

    /**
     * What jrun prepares for the init's mounts: the fd numbers a tmpcopyup mount and its
     * destination are parked on for jrun to take (-1 when no mount copies up), and per mount
     * pointer the idmapped mounts jrun made before the fork (detached trees the init inherits).
     */
    public record MountHandover(int copyUpDestinationSlot, int copyUpMountSlot, Map<String, Integer> idmapped) {
        public static final MountHandover NONE = new MountHandover(-1, -1, Map.of());

        public MountHandover {
            idmapped = Map.copyOf(idmapped);
        }
    }

    private final ProgramBuilder b;
    private final ContainerPlan plan;
    private final Options options;
    private final Reg root;
    private final Reg fd;
    private final Reg target;
    private final Reg dir;
    private final Reg fs;
    private final Reg procFds;
    private final Reg procSys;
    private final ProcessSetup process;
    /**
     * The procfs and sysfs mounts jrun made, each with an fd of the mount kept: the masked and
     * read-only paths under them are resolved from it (see {@link #openMaskTarget}).
     */
    private final java.util.IdentityHashMap<MountStep.Filesystem, Reg> kernelFilesystems = new java.util.IdentityHashMap<>();
    /** One clone of the host's /dev/null per masked path, made before pivot_root. */
    private final List<Reg> maskSources = new ArrayList<>();
    private final List<Path> cgroupJoinFiles;
    /**
     * The pid namespace the init joins by path, held while its procfs instances are made, when
     * the init enters it only through the process it forks at the end (see PidNamespaceEntry);
     * null otherwise.
     */
    private final Reg pidNamespace;

    private InitProgram(ProgramBuilder b, ContainerPlan plan, Options options, ChildLauncher.Pipes pipes,
                        List<Path> cgroupJoinFiles) {
        this.b = b;
        this.cgroupJoinFiles = cgroupJoinFiles;
        this.plan = plan;
        this.options = options;
        this.root = b.newReg();
        this.fd = b.newReg();
        this.target = b.newReg();
        this.dir = b.newReg();
        this.fs = b.newReg();
        this.procFds = b.newReg();
        this.procSys = b.newReg();
        this.pidNamespace = PidNamespaceEntry.forkedIntoAtTheEnd(plan) ? b.newReg() : null;
        this.process = new ProcessSetup(b, plan.process(), options.launch(), pipes, "config.json");
    }

    /**
     * @param cgroupJoinFiles files the init writes {@code 0} to, to move itself into its v1
     *     cgroups (CgroupManager.selfJoinFiles); on v2 it is born in its cgroup
     */
    public static Program compile(Arena arena, ChildLauncher.Pipes pipes, ContainerPlan plan, Options options,
                                  List<Path> cgroupJoinFiles) {
        ProgramBuilder b = new ProgramBuilder(arena);
        ChildLauncher.emitPrologue(b, pipes, plan.creates(NamespaceKind.USER));
        new InitProgram(b, plan, options, pipes, cgroupJoinFiles).emit();
        return b.build();
    }

    private void emit() {
        process.resetSignals();
        process.connectStdio(options.stdio());
        b.call(SyscallNr.UMASK, 0);
        process.joinCgroups(cgroupJoinFiles, "config.json /linux/cgroupsPath");
        process.resetAffinity();
        joinNamespaces();
        cgroupNamespace();
        timeNamespace();
        if (plan.creates(NamespaceKind.USER) || plan.join(NamespaceKind.USER) != null) {
            // The child still has the host's uid 0, which the container's id maps need not
            // include (then files it creates would be EOVERFLOW); become the namespace's root,
            // as runc's nsexec does once the maps are written. Its capabilities are kept.
            // After the clock offsets: /proc/self of a non-dumpable process stays the host root's.
            b.step("become root of the user namespace (config.json /linux/uidMappings, /linux/gidMappings)");
            b.call(SyscallNr.SETRESGID, 0, 0, 0);
            b.call(SyscallNr.SETRESUID, 0, 0, 0);
        }
        sessionKeyring();
        // Everything reached through /proc is opened now, on the host's procfs, before any of
        // the container's mounts exist: a fake or racing /proc in the image cannot redirect
        // these writes (CVE-2019-16884, CVE-2023-27561, CVE-2025-52881).
        process.execLabels();
        if (options.fifoFd() >= 0) {
            // First of the fds the init holds on to: its slot is still free (see privateProcFds).
            privateProcFds();
        }
        if (!plan.sysctls().isEmpty()) {
            String step = "open /proc/sys for the sysctls (config.json /linux/sysctl)";
            b.step(step);
            b.call(SyscallNr.OPENAT, AT_FDCWD, b.cstr("/proc/sys"), O_PATH | O_DIRECTORY | O_CLOEXEC).into(procSys);
            // The sysctls are opened beneath it with RESOLVE_NO_XDEV: all of them are on procfs then.
            ProcessSetup.requireFilesystem(b, procSys, PROC_SUPER_MAGIC, "/proc/sys", step);
        }
        rootfs();
        for (MountStep m : plan.mounts()) {
            mount(m);
        }
        if (pidNamespace != null) {
            b.call(SyscallNr.CLOSE, pidNamespace);
        }
        devices();
        ProcessPlan p = plan.process();
        b.step("create the working directory " + p.cwd() + " (config.json /process/cwd)");
        ensurePath(root, p.cwd(), true);
        b.call(SyscallNr.CLOSE, target);
        cloneMaskSources();
        if (options.pauseForHooks()) {
            b.step("wait for the prestart, createRuntime and createContainer hooks (config.json /hooks)");
            ChildLauncher.emitPause(b, process.pipes(), RECORD_HOOKS);
        }
        pivot();
        afterPivot();
        // Identity, capabilities and fd hygiene come before the wait for start, as in runc:
        // after it the child does as little as possible (see ChildLauncher on forked JVMs).
        if (plan.personality() != null) {
            b.step("set the personality (config.json /linux/personality)");
            b.call(SyscallNr.PERSONALITY, plan.personality());
        }
        process.scheduling();
        if (PtraceReach.ofInit(plan)) {
            HostFileMappings.emitReplace(b);
        }
        JvmTraces.emitErase(b);
        // fd hygiene first: no filter of the container's can refuse jrun's own calls yet.
        process.hygiene(process.pipes().reportWrite(), process.pipes().goRead(), options.fifoFd(),
                procFdsSlot());
        process.identity();
        process.loadSeccompAt(SeccompFilter.Placement.BEFORE_READY);
        if (pidNamespace != null) {
            // Only now does a process of the init's enter the pid namespace it joins: one that
            // holds nothing of the host any more, with the container's identity (issue 16).
            ChildLauncher.emitForkVisible(b, process.pipes());
            process.controllingTerminal();
        }
        b.step("report that the container is created");
        ChildLauncher.emitReady(b, process.pipes());
        if (options.fifoFd() >= 0) {
            b.step("wait for start on the exec fifo");
            String fifo = (pidNamespace != null ? "self/fd/" : "") + options.fifoFd();
            b.call(SyscallNr.OPENAT, procFdsSlot(), b.cstr(fifo), O_WRONLY | O_CLOEXEC).into(fd);
            MemorySegment zero = b.buffer(1);
            zero.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, EXEC_FIFO_BYTE);
            b.call(SyscallNr.WRITE, fd, zero.address(), 1).expect(1);
            b.call(SyscallNr.CLOSE, fd);
            b.call(SyscallNr.CLOSE, procFdsSlot());
            b.call(SyscallNr.CLOSE, options.fifoFd());
        }
        process.loadSeccompAt(SeccompFilter.Placement.BEFORE_EXEC);
        process.execve();
    }

    /**
     * The init reopens the exec fifo for writing through /proc/self/fd (an O_PATH fd cannot be
     * opened otherwise), and holds that directory until start. A directory of the host's procfs
     * would let a container that can open the init's fds (CAP_SYS_PTRACE) walk up to the host's
     * /proc and every host process's root; so the init takes it from a procfs instance of its
     * own, detached (never mounted anywhere), which shows only the init's pid namespace. It is
     * made before the container's mounts exist, so nothing in the image is involved. Kept on
     * the number of the parent's end of the report pipe, closed in the child since its
     * prologue, so that {@link ProcessSetup#hygiene} can tell it from jrun's fds. An init that
     * joins a pid namespace only through the process it forks keeps the procfs's root there
     * instead: "self" names nothing until that process, a member of the namespace, looks it up.
     */
    private void privateProcFds() {
        b.step("open a procfs of the init's own to reach the exec fifo later");
        b.call(SyscallNr.FSOPEN, b.cstr("proc"), FSOPEN_CLOEXEC).into(fs);
        showJoinedPidNamespace(fs);
        b.call(SyscallNr.FSCONFIG, fs, FSCONFIG_CMD_CREATE, 0, 0, 0);
        b.call(SyscallNr.FSMOUNT, fs, FSMOUNT_CLOEXEC, 0).into(procFds);
        b.call(SyscallNr.CLOSE, fs);
        if (pidNamespace != null) {
            b.call(SyscallNr.FCNTL, procFds, F_DUPFD_CLOEXEC, 0).into(fd);
        } else {
            b.call(SyscallNr.OPENAT, procFds, b.cstr("self/fd"), O_PATH | O_DIRECTORY | O_CLOEXEC).into(fd);
        }
        b.call(SyscallNr.CLOSE, procFds);
        Label onSlotAlready = b.label(); // the lowest free number was the slot: dup3 refuses oldfd == newfd
        b.call(SyscallNr.DUP3, fd, procFdsSlot(), O_CLOEXEC).onErrno(Errno.EINVAL, onSlotAlready);
        b.call(SyscallNr.CLOSE, fd);
        b.bind(onSlotAlready);
    }

    private int procFdsSlot() {
        return options.fifoFd() >= 0 ? process.pipes().reportRead() : -1;
    }

    /**
     * A procfs made by the init shows the pid namespace it joins, not the one it is in: the
     * kernel would take the mounting process's (procfs's "pidns" option, see PidNamespaceEntry).
     */
    private void showJoinedPidNamespace(Reg fsContext) {
        if (pidNamespace != null) {
            b.call(SyscallNr.FSCONFIG, fsContext, FSCONFIG_SET_FD, b.cstr("pidns"), 0, pidNamespace);
        }
    }

    private void joinNamespaces() {
        for (ContainerPlan.NamespaceJoin j : plan.joins()) {
            if (j.kind() == NamespaceKind.PID) {
                if (pidNamespace != null) {
                    // For its children only: the process forked at the end (emitForkVisible).
                    b.step("join the pid namespace " + j.path() + " for the process forked once set up (config.json "
                            + j.pointer() + ")");
                    b.call(SyscallNr.OPENAT, AT_FDCWD, b.cstr(j.path()), O_RDONLY | O_CLOEXEC).into(fd);
                    // Above the slot privateProcFds takes, which is the lowest free number now.
                    b.call(SyscallNr.FCNTL, fd, F_DUPFD_CLOEXEC, procFdsSlot() + 1).into(pidNamespace);
                    b.call(SyscallNr.CLOSE, fd);
                    b.call(SyscallNr.SETNS, pidNamespace, j.kind().cloneFlag());
                }
                continue; // else entered by the parent before the fork: see PidNamespaceEntry
            }
            b.step("join the " + j.kind().specName() + " namespace " + j.path() + " (config.json " + j.pointer() + ")");
            b.call(SyscallNr.OPENAT, AT_FDCWD, b.cstr(j.path()), O_RDONLY | O_CLOEXEC).into(fd);
            b.call(SyscallNr.SETNS, fd, j.kind().cloneFlag());
            b.call(SyscallNr.CLOSE, fd);
        }
    }

    /**
     * A new cgroup namespace takes the cgroup its creator is in as its root, and at clone time
     * that is still jrun's own (even with CLONE_INTO_CGROUP, whose move comes after the
     * namespaces are copied): so it is unshared here, by the init, once it is in the
     * container's cgroup.
     */
    private void cgroupNamespace() {
        if (!plan.creates(NamespaceKind.CGROUP)) {
            return;
        }
        b.step("create the cgroup namespace (config.json /linux/namespaces)");
        b.call(SyscallNr.UNSHARE, NamespaceKind.CGROUP.cloneFlag());
    }

    /**
     * A new time namespace is made with unshare, not clone3: its clock offsets can only be
     * written before a process enters it, and this process enters it (time_for_children) at
     * execve.
     */
    private void timeNamespace() {
        if (!plan.creates(NamespaceKind.TIME)) {
            return;
        }
        b.step("create the time namespace (config.json /linux/namespaces)");
        b.call(SyscallNr.UNSHARE, NamespaceKind.TIME.cloneFlag());
        if (plan.timeOffsets() != null) {
            String step = "set the clock offsets (config.json /linux/timeOffsets)";
            b.step(step);
            b.call(SyscallNr.OPENAT, AT_FDCWD, b.cstr("/proc/self/timens_offsets"), O_WRONLY | O_CLOEXEC).into(fd);
            ProcessSetup.requireFilesystem(b, fd, PROC_SUPER_MAGIC, "/proc/self/timens_offsets", step);
            long length = utf8Length(plan.timeOffsets());
            b.call(SyscallNr.WRITE, fd, b.cstr(plan.timeOffsets()), length).expect(length);
            b.call(SyscallNr.CLOSE, fd);
        }
    }

    /** runc's default: a new session keyring, so the container does not share the caller's keys. */
    private void sessionKeyring() {
        if (plan.sessionKeyring() == null) {
            return;
        }
        b.step("join a new session keyring (use --no-new-keyring to keep the caller's)");
        b.call(SyscallNr.KEYCTL, KEYCTL_JOIN_SESSION_KEYRING, b.cstr(plan.sessionKeyring())).ignoring(Errno.ENOSYS);
    }

    /**
     * The tree is set up private or slave, whatever rootfsPropagation says: a shared tree would
     * propagate the container's mounts to the host's peers and makes pivot_root refuse (EINVAL:
     * the new root's parent is shared), and an unbindable rootfs cannot be bound onto itself.
     * The requested type is given to the new root after pivot_root ({@link #rootPropagation}).
     */
    private void rootfs() {
        if (plan.ownMountNamespace()) {
            long setUp = (plan.rootPropagation() & MountAttr.MS_PRIVATE) != 0 ? MountAttr.MS_PRIVATE : MountAttr.MS_SLAVE;
            b.step("make mount propagation " + propagationName(setUp) + " while the root filesystem is set up");
            b.call(SyscallNr.MOUNT, 0, b.cstr("/"), 0, MS_REC | setUp, 0);
        }
        b.step("bind the root filesystem " + plan.rootfs() + " onto itself (config.json /root/path)");
        long rootfs = b.cstr(plan.rootfs());
        b.call(SyscallNr.OPEN_TREE, AT_FDCWD, rootfs, OPEN_TREE_CLONE | O_CLOEXEC | AT_RECURSIVE).into(fd);
        b.call(SyscallNr.MOVE_MOUNT, fd, b.cstr(""), AT_FDCWD, rootfs, MOVE_MOUNT_F_EMPTY_PATH);
        if (!plan.ownMountNamespace()) {
            // In the runtime's mount namespace, whose propagation is left alone: the bind joined
            // the peer group of its parent if that was shared; made private now, nothing
            // mounted beneath it reaches another namespace (see RuntimeNamespaceRootfs).
            b.step("make the root filesystem's bind private (no mount namespace: the runtime's is used)");
            b.call(SyscallNr.MOUNT_SETATTR, fd, b.cstr(""), AT_EMPTY_PATH | AT_RECURSIVE,
                    mountAttr(0, 0, MountAttr.MS_PRIVATE), 32);
        }
        b.call(SyscallNr.CLOSE, fd);
        b.call(SyscallNr.OPENAT, AT_FDCWD, rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC).into(root);
    }

    /**
     * An instanceof chain rather than a pattern switch: jrun runs interpreted, and a pattern
     * switch spins a class on its first use (on every create) that the AOT cache does not keep.
     */
    private void mount(MountStep m) {
        String where = " (config.json " + m.pointer() + ")";
        if (m instanceof MountStep.Bind bind) {
            bindMount(bind, where);
        } else if (m instanceof MountStep.Filesystem f) {
            filesystemMount(f, where);
        } else if (m instanceof MountStep.Remount r) {
            remount(r, where);
        } else {
            throw new IllegalStateException("no mount step " + m);
        }
    }

    /**
     * The plain attributes apply to the bound mount alone, the recursive ones to its whole tree,
     * as in runc: an rbind with {@code ro} leaves the submounts writable, {@code rro} does not.
     * An idmapped bind was made by jrun before the fork (IdmappedMounts): the init only attaches it.
     */
    private void bindMount(MountStep.Bind bind, String where) {
        long empty = b.cstr("");
        b.step("bind mount " + bind.source() + " at " + bind.destination() + where);
        Integer idmapped = options.mounts().idmapped().get(bind.pointer());
        if (idmapped != null) {
            b.set(fd, idmapped);
        } else {
            long recursive = bind.recursive() ? AT_RECURSIVE : 0;
            b.call(SyscallNr.OPEN_TREE, AT_FDCWD, b.cstr(bind.source()), OPEN_TREE_CLONE | O_CLOEXEC | recursive)
                    .into(fd);
        }
        if (bind.attrSet() != 0 || bind.attrClear() != 0) {
            b.call(SyscallNr.MOUNT_SETATTR, fd, empty, AT_EMPTY_PATH, mountAttr(bind.attrSet(), bind.attrClear(), 0),
                    32);
        }
        recursiveAttrs(fd, bind.recursiveAttrSet(), bind.recursiveAttrClear());
        attach(bind.destination(), bind.sourceIsDirectory(), bind.propagation(), bind.recursivePropagation(), bind);
    }

    private void recursiveAttrs(Reg mountFd, long set, long clear) {
        if (set != 0 || clear != 0) {
            b.call(SyscallNr.MOUNT_SETATTR, mountFd, b.cstr(""), AT_EMPTY_PATH | AT_RECURSIVE,
                    mountAttr(set, clear, 0), 32);
        }
    }

    private void filesystemMount(MountStep.Filesystem f, String where) {
        b.step("mount " + f.type() + " at " + f.destination() + where);
        b.call(SyscallNr.FSOPEN, b.cstr(f.type()), FSOPEN_CLOEXEC).into(fs);
        if (f.type().equals("proc")) {
            showJoinedPidNamespace(fs);
        }
        b.call(SyscallNr.FSCONFIG, fs, FSCONFIG_SET_STRING, b.cstr("source"), b.cstr(f.source()), 0);
        for (String option : f.data()) {
            int eq = option.indexOf('=');
            if (eq < 0) {
                b.call(SyscallNr.FSCONFIG, fs, FSCONFIG_SET_FLAG, b.cstr(option), 0, 0);
            } else {
                b.call(SyscallNr.FSCONFIG, fs, FSCONFIG_SET_STRING, b.cstr(option.substring(0, eq)),
                        b.cstr(option.substring(eq + 1)), 0);
            }
        }
        for (String flag : f.superblockFlags()) {
            b.call(SyscallNr.FSCONFIG, fs, FSCONFIG_SET_FLAG, b.cstr(flag), 0, 0);
        }
        b.call(SyscallNr.FSCONFIG, fs, FSCONFIG_CMD_CREATE, 0, 0, 0);
        b.call(SyscallNr.FSMOUNT, fs, FSMOUNT_CLOEXEC, f.attrSet()).into(fd);
        b.call(SyscallNr.CLOSE, fs);
        recursiveAttrs(fd, f.recursiveAttrSet(), f.recursiveAttrClear());
        if (f.copyUp()) {
            copyUp(f, where);
            moveInto(f.propagation(), f.recursivePropagation());
        } else if (isKernelFilesystem(f)) {
            attachKernelFilesystem(f, where);
        } else {
            attach(f.destination(), true, f.propagation(), f.recursivePropagation(), f);
        }
    }

    private static boolean isKernelFilesystem(MountStep.Filesystem f) {
        return f.type().equals("proc") || f.type().equals("sysfs");
    }

    /**
     * procfs and sysfs carry the masked and read-only paths, so where they land must be exactly
     * their destination: a symlink anywhere on the way (a neighbour sharing the rootfs can
     * swap one in for /proc at any moment, CVE-2019-19921's class) is refused rather than
     * followed, else the masks would land on the symlink's target while procfs stayed open
     * elsewhere. The mount's fd is kept for the masks.
     */
    private void attachKernelFilesystem(MountStep.Filesystem f, String where) {
        String step = "mount " + f.type() + " at " + f.destination() + where
                + ": no component of the destination may be a symbolic link";
        b.step(step);
        ensurePath(root, f.destination(), true, RESOLVE_NO_SYMLINKS);
        Reg kept = b.newReg();
        b.call(SyscallNr.FCNTL, fd, F_DUPFD_CLOEXEC, 0).into(kept);  // the same mount, attached by moveInto
        // What the masks are resolved from (beneath it, on no other mount) must be the kernel's.
        ProcessSetup.requireFilesystem(b, kept, f.type().equals("proc") ? PROC_SUPER_MAGIC : SYSFS_MAGIC,
                "the new " + f.type() + " mount", step);
        moveInto(f.propagation(), f.recursivePropagation());
        kernelFilesystems.put(f, kept);
    }

    /**
     * Opens a masked or read-only {@code path}. Under a procfs or sysfs mount of jrun's (the last
     * mount over the path, so one mounted over it wins) it is resolved from that mount's fd,
     * beneath it and through no symlink: it lands on that procfs whatever the rootfs's names
     * point to now. Elsewhere it is resolved in the root.
     */
    private ProgramBuilder.OpRef openMaskTarget(String path, long flags) {
        MountStep over = lastMountOver(plan.mounts(), path);
        Reg kept = over instanceof MountStep.Filesystem f ? kernelFilesystems.get(f) : null;
        if (kept == null) {
            return openInRoot(root, path, flags);
        }
        MemorySegment how = NativeCopy.openHow(b.buffer(OPEN_HOW_SIZE), flags,
                RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        return b.call(SyscallNr.OPENAT2, kept, b.cstr(beneath(over, path)), how.address(), OPEN_HOW_SIZE);
    }

    /**
     * The last of {@code mounts} whose destination is {@code path} or one of its parents (a
     * later mount there hides an earlier one); null when none is, or when the path has "." or
     * ".." components. A remount adds no mount.
     */
    static MountStep lastMountOver(List<MountStep> mounts, String path) {
        List<String> parts = components(path);
        MountStep over = null;
        for (MountStep m : mounts) {
            List<String> dest = components(m.destination());
            if (!(m instanceof MountStep.Remount) && dest != null && parts != null && dest.size() <= parts.size()
                    && parts.subList(0, dest.size()).equals(dest)) {
                over = m;
            }
        }
        return over;
    }

    /** {@code path} relative to the destination of {@code mount}, which is over it ("." for the destination itself). */
    static String beneath(MountStep mount, String path) {
        List<String> parts = components(path);
        int depth = components(mount.destination()).size();
        return depth == parts.size() ? "." : String.join("/", parts.subList(depth, parts.size()));
    }

    /** The components of an absolute path; null when it has "." or ".." (resolved in the root then). */
    private static List<String> components(String path) {
        List<String> parts = new ArrayList<>();
        for (String s : path.split("/")) {
            if (s.equals(".") || s.equals("..")) {
                return null;
            }
            if (!s.isEmpty()) {
                parts.add(s);
            }
        }
        return parts;
    }

    private void closeKernelFilesystems() {
        for (Reg kept : kernelFilesystems.values()) {
            b.call(SyscallNr.CLOSE, kept);
        }
    }

    /**
     * tmpcopyup: the new tmpfs, still detached, and the directory it will cover are parked on
     * the slots jrun reserved, and the init waits while jrun copies the directory's content
     * into the tmpfs (TmpCopyUp: a recursive walk that allocates, which this program cannot).
     */
    private void copyUp(MountStep.Filesystem f, String where) {
        MountHandover slots = options.mounts();
        b.step("copy the image's " + f.destination() + " into the new tmpfs (tmpcopyup)" + where);
        ensurePath(root, f.destination(), true);
        b.call(SyscallNr.DUP3, target, slots.copyUpDestinationSlot(), O_CLOEXEC);
        b.call(SyscallNr.DUP3, fd, slots.copyUpMountSlot(), O_CLOEXEC);
        ChildLauncher.emitPause(b, process.pipes(), RECORD_COPY_UP);
    }

    /** runc's remount, and a cgroup mount made read-only: the mount already at the destination changes. */
    private void remount(MountStep.Remount r, String where) {
        b.step("change the mount at " + r.destination() + where);
        openInRoot(root, r.destination(), O_PATH | O_CLOEXEC).into(target);
        if (r.attrSet() != 0 || r.attrClear() != 0) {
            b.call(SyscallNr.MOUNT_SETATTR, target, b.cstr(""), AT_EMPTY_PATH, mountAttr(r.attrSet(), r.attrClear(), 0),
                    32);
        }
        recursiveAttrs(target, r.recursiveAttrSet(), r.recursiveAttrClear());
        propagate(target, r.propagation(), r.recursivePropagation());
        b.call(SyscallNr.CLOSE, target);
    }

    /**
     * Moves the detached mount in {@code fd} onto {@code destination} (created inside the root,
     * see ensurePath), sets its propagation, and closes both fds.
     */
    private void attach(String destination, boolean directory, long propagation, boolean recursivePropagation,
                        MountStep mount) {
        ensurePath(root, destination, directory);
        refuseProcfsDestination(mount);
        moveInto(propagation, recursivePropagation);
    }

    /**
     * A mount other than proc whose destination, in {@link #target}, is on procfs is refused, as
     * runc refuses one inside /proc (CVE-2019-19921: a volume whose destination an image or a
     * neighbour made a symlink to /proc would cover the container's procfs). Checked on the fd
     * the destination resolved to, so no symlink can take it around the check; the files lxcfs
     * emulates, named as such in the config, are allowed as runc allows them.
     */
    private void refuseProcfsDestination(MountStep mount) {
        if (LXCFS_PROC_FILES.contains(mount.destination())) {
            return;
        }
        String where = " (config.json " + mount.pointer() + ")";
        b.step("mount at " + mount.destination() + where + ": the destination is on procfs, where only proc itself and "
                + "the files lxcfs emulates (" + String.join(", ", LXCFS_PROC_FILES) + ") may be mounted");
        MemorySegment statfs = b.buffer(STATFS_SIZE);
        b.call(SyscallNr.FSTATFS, target, statfs.address());
        b.expectOtherLong(statfs.address(), PROC_SUPER_MAGIC, Errno.EPERM);
        b.step("mount at " + mount.destination() + where);
    }

    /** Moves the detached mount in {@code fd} onto {@link #target}, sets its propagation, closes both. */
    private void moveInto(long propagation, boolean recursivePropagation) {
        long empty = b.cstr("");
        b.call(SyscallNr.MOVE_MOUNT, fd, empty, target, empty, MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
        propagate(fd, propagation, recursivePropagation);
        b.call(SyscallNr.CLOSE, fd);
        b.call(SyscallNr.CLOSE, target);
    }

    private void propagate(Reg mountFd, long propagation, boolean recursive) {
        if (propagation != 0) {
            b.call(SyscallNr.MOUNT_SETATTR, mountFd, b.cstr(""), AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0),
                    mountAttr(0, 0, propagation), 32);
        }
    }

    private void devices() {
        for (DeviceNode d : plan.devices()) {
            String parent = parentOf(d.path());
            String name = d.path().substring(parent.length() == 1 ? 1 : parent.length() + 1);
            b.step((d.bindFromHost() ? "bind the host's " : "create device ") + d.path() + " (" + d.pointer() + ")");
            ensurePath(root, parent, true);
            long cname = b.cstr(name);
            if (d.bindFromHost()) {
                b.call(SyscallNr.MKNODAT, target, cname, S_IFREG | 0644, 0).ignoring(Errno.EEXIST);
                b.call(SyscallNr.OPENAT, target, cname, O_PATH | O_NOFOLLOW | O_CLOEXEC).into(dir);
                b.call(SyscallNr.OPEN_TREE, AT_FDCWD, b.cstr(d.path()), OPEN_TREE_CLONE | O_CLOEXEC).into(fd);
                long empty = b.cstr("");
                b.call(SyscallNr.MOVE_MOUNT, fd, empty, dir, empty, MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
                b.call(SyscallNr.CLOSE, fd);
                b.call(SyscallNr.CLOSE, dir);
            } else {
                b.call(SyscallNr.MKNODAT, target, cname, d.fileType() | d.mode(), d.dev()).ignoring(Errno.EEXIST);
                b.call(SyscallNr.FCHOWNAT, target, cname, d.uid(), d.gid(), AT_SYMLINK_NOFOLLOW);
            }
            b.call(SyscallNr.CLOSE, target);
        }
        b.step("create the /dev symlinks");
        ensurePath(root, "/dev", true);
        String[][] links = {{"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
                {"/proc/self/fd/2", "stderr"}};
        for (String[] l : links) {
            b.call(SyscallNr.SYMLINKAT, b.cstr(l[0]), target, b.cstr(l[1])).ignoring(Errno.EEXIST);
        }
        if (plan.ptmxSymlink()) {
            long ptmx = b.cstr("ptmx");
            b.call(SyscallNr.UNLINKAT, target, ptmx, 0).ignoring(Errno.ENOENT);
            b.call(SyscallNr.SYMLINKAT, b.cstr("pts/ptmx"), target, ptmx);
        }
        b.call(SyscallNr.CLOSE, target);
    }

    private void pivot() {
        if (!plan.ownMountNamespace()) {
            // Neither pivot_root nor MS_MOVE: either would change the runtime's own root.
            b.step("chroot into the root filesystem " + plan.rootfs() + " (no mount namespace)");
            b.call(SyscallNr.FCHDIR, root);
            b.call(SyscallNr.CHROOT, b.cstr("."));
        } else if (plan.pivotRoot()) {
            b.step("pivot_root into the root filesystem " + plan.rootfs());
            b.call(SyscallNr.FCHDIR, root);
            long dot = b.cstr(".");
            b.call(SyscallNr.PIVOT_ROOT, dot, dot);
            b.call(SyscallNr.UMOUNT2, dot, MNT_DETACH);
        } else {
            b.step("move the root filesystem " + plan.rootfs() + " to / and chroot (--no-pivot)");
            b.call(SyscallNr.FCHDIR, root);
            b.call(SyscallNr.MOUNT, b.cstr("."), b.cstr("/"), 0, MS_MOVE, 0);
            b.call(SyscallNr.CHROOT, b.cstr("."));
        }
        b.call(SyscallNr.CHDIR, b.cstr("/"));
        b.call(SyscallNr.CLOSE, root);
        b.call(SyscallNr.OPENAT, AT_FDCWD, b.cstr("/"), O_PATH | O_DIRECTORY | O_CLOEXEC).into(root);
    }

    /**
     * A shared root becomes a new peer group of the container's (a slave one of the host's
     * group if the host's was shared): binds of it made inside see mounts added later, and none
     * of them reaches the host. An unbindable one cannot be bind-mounted. Private and slave the
     * tree already is. runc applies the type right after pivot_root; jrun after its own binds
     * inside the root, which runbindable would refuse.
     */
    private void rootPropagation() {
        long requested = plan.rootPropagation();
        if ((requested & (MountAttr.MS_SHARED | MountAttr.MS_UNBINDABLE)) == 0) {
            return;
        }
        b.step("make the root " + ((requested & MS_REC) != 0 ? "r" : "") + propagationName(requested)
                + " (config.json /linux/rootfsPropagation)");
        b.call(SyscallNr.MOUNT, 0, b.cstr("/"), 0, requested, 0);
    }

    private void afterPivot() {
        long empty = b.cstr("");
        if (plan.readonlyRoot()) {
            b.step("make the root filesystem read-only (config.json /root/readonly)");
            b.call(SyscallNr.MOUNT_SETATTR, root, empty, AT_EMPTY_PATH, mountAttr(MountAttr.RDONLY, 0, 0), 32);
        }
        if (plan.hostname() != null && !plan.hostname().isEmpty()) {
            b.step("set the hostname (config.json /hostname)");
            b.call(SyscallNr.SETHOSTNAME, b.cstr(plan.hostname()), utf8Length(plan.hostname()));
        }
        if (plan.domainname() != null && !plan.domainname().isEmpty()) {
            b.step("set the domain name (config.json /domainname)");
            b.call(SyscallNr.SETDOMAINNAME, b.cstr(plan.domainname()), utf8Length(plan.domainname()));
        }
        for (ContainerPlan.SysctlWrite s : plan.sysctls()) {
            b.step("set sysctl " + s.key() + " (config.json " + s.pointer() + ")");
            // The file under the /proc/sys opened before the mounts; the namespaced sysctls are
            // the opener's (the container's), whichever procfs instance they are reached through.
            MemorySegment how = NativeCopy.openHow(b.buffer(OPEN_HOW_SIZE), O_WRONLY | O_CLOEXEC,
                    RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV);
            String relative = s.procPath().substring("/proc/sys/".length());
            b.call(SyscallNr.OPENAT2, procSys, b.cstr(relative), how.address(), OPEN_HOW_SIZE).into(fd);
            b.call(SyscallNr.WRITE, fd, b.cstr(s.value()), utf8Length(s.value())).expect(utf8Length(s.value()));
            b.call(SyscallNr.CLOSE, fd);
        }
        if (!plan.sysctls().isEmpty()) {
            b.call(SyscallNr.CLOSE, procSys);
        }
        // After the config's mounts (the devpts among them), before the masked and read-only
        // paths, as runc does: the console is bound where the image cannot redirect it.
        process.terminal(root, true);
        process.terminalAsStdio();
        if (pidNamespace == null) {
            process.controllingTerminal(); // else in the process that goes on (a session dies with its leader)
        }
        for (int i = 0; i < plan.readonlyPaths().size(); i++) {
            String path = plan.readonlyPaths().get(i);
            b.step("make " + path + " read-only (config.json /linux/readonlyPaths/" + i + ")");
            Label skip = b.label();
            openMaskTarget(path, O_PATH | O_CLOEXEC).into(target).onErrno(Errno.ENOENT, skip);
            b.call(SyscallNr.OPEN_TREE, target, empty, OPEN_TREE_CLONE | O_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE)
                    .into(fd);
            b.call(SyscallNr.MOUNT_SETATTR, fd, empty, AT_EMPTY_PATH | AT_RECURSIVE,
                    mountAttr(MountAttr.RDONLY | MountAttr.NOSUID | MountAttr.NODEV | MountAttr.NOEXEC, 0, 0), 32);
            b.call(SyscallNr.MOVE_MOUNT, fd, empty, target, empty, MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
            b.call(SyscallNr.CLOSE, fd);
            b.call(SyscallNr.CLOSE, target);
            b.bind(skip);
        }
        for (int i = 0; i < plan.maskedPaths().size(); i++) {
            String path = plan.maskedPaths().get(i);
            b.step("mask " + path + " (config.json /linux/maskedPaths/" + i + ")");
            Label file = b.label();
            Label done = b.label();
            openMaskTarget(path, O_PATH | O_DIRECTORY | O_CLOEXEC).into(target).onError(file);
            b.call(SyscallNr.FSOPEN, b.cstr("tmpfs"), FSOPEN_CLOEXEC).into(fs);
            b.call(SyscallNr.FSCONFIG, fs, FSCONFIG_CMD_CREATE, 0, 0, 0);
            b.call(SyscallNr.FSMOUNT, fs, FSMOUNT_CLOEXEC, MountAttr.RDONLY).into(fd);
            b.call(SyscallNr.CLOSE, fs);
            b.call(SyscallNr.MOVE_MOUNT, fd, empty, target, empty, MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
            b.call(SyscallNr.CLOSE, fd);
            b.call(SyscallNr.CLOSE, target);
            b.jump(done);
            b.bind(file);
            openMaskTarget(path, O_PATH | O_CLOEXEC).into(target).onErrno(Errno.ENOENT, done);
            b.call(SyscallNr.MOVE_MOUNT, maskSources.get(i), empty, target, empty,
                    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
            b.call(SyscallNr.CLOSE, target);
            b.bind(done);
            b.call(SyscallNr.CLOSE, maskSources.get(i));
        }
        closeKernelFilesystems();
        // Last of the mounts: the console, read-only and masked paths are clones (open_tree),
        // which an unbindable tree refuses.
        rootPropagation();
        process.workingDirectoryAndExecutable(root);
        b.call(SyscallNr.CLOSE, root);
    }

    /**
     * A masked file is covered with the host's /dev/null, cloned here while "/dev/null" still
     * names the host's: after pivot_root it would name the image's, which an image (or a
     * container sharing its /dev) can make a symlink to anything (CVE-2025-31133). A detached
     * clone can be attached once, so there is one per masked path; unused ones are closed.
     */
    private void cloneMaskSources() {
        if (plan.maskedPaths().isEmpty()) {
            return;
        }
        b.step("clone the host's /dev/null to mask paths with (config.json /linux/maskedPaths)");
        long devNull = b.cstr("/dev/null");
        for (int i = 0; i < plan.maskedPaths().size(); i++) {
            Reg source = b.newReg();
            b.call(SyscallNr.OPEN_TREE, AT_FDCWD, devNull, OPEN_TREE_CLONE | O_CLOEXEC).into(source);
            maskSources.add(source);
        }
    }

    /**
     * Opens {@code path} inside the root {@code rootFd} with openat2(RESOLVE_IN_ROOT): symlinks
     * resolve as if the rootfs were /, and /proc magic links are refused.
     */
    private ProgramBuilder.OpRef openInRoot(Reg rootFd, String path, long flags) {
        return ProcessSetup.openInRoot(b, rootFd, path, flags, 0);
    }

    /**
     * Leaves an O_PATH fd of {@code path} inside the rootfs in {@link #target}, creating missing
     * directories (and, when {@code directory} is false, the final file) one component at a
     * time: each mkdirat is relative to the fd of its parent, which was itself resolved in the
     * root (the first component's parent is the root's fd), so no component can lead out of it.
     */
    private void ensurePath(Reg rootFd, String path, boolean directory) {
        ensurePath(rootFd, path, directory, 0);
    }

    /** {@link #ensurePath(Reg, String, boolean)} with more openat2 {@code resolve} flags for each component. */
    private void ensurePath(Reg rootFd, String path, boolean directory, long resolve) {
        List<String> parts = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                parts.add(s);
            }
        }
        if (parts.isEmpty()) {
            b.call(SyscallNr.OPENAT, rootFd, b.cstr("."), O_PATH | O_DIRECTORY | O_CLOEXEC).into(target);
            return;
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            boolean last = i == parts.size() - 1;
            long name = b.cstr(parts.get(i));
            Reg parent = i == 0 ? rootFd : target;
            prefix.append('/').append(parts.get(i));
            if (last && !directory) {
                // mknod of a regular file creates it without opening it (an open of an
                // existing fifo or device could block or have side effects)
                b.call(SyscallNr.MKNODAT, parent, name, S_IFREG | 0644, 0).ignoring(Errno.EEXIST);
            } else {
                b.call(SyscallNr.MKDIRAT, parent, name, 0755).ignoring(Errno.EEXIST);
            }
            if (i > 0) {
                b.call(SyscallNr.CLOSE, target);
            }
            long flags = last && !directory ? O_PATH | O_CLOEXEC : O_PATH | O_DIRECTORY | O_CLOEXEC;
            ProcessSetup.openInRoot(b, rootFd, prefix.toString(), flags, resolve).into(target);
        }
    }

    private long mountAttr(long set, long clear, long propagation) {
        MemorySegment attr = b.buffer(32);
        attr.set(JAVA_LONG, 0, set);
        attr.set(JAVA_LONG, 8, clear);
        attr.set(JAVA_LONG, 16, propagation);
        return attr.address();
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private static long utf8Length(String s) {
        return ProcessSetup.utf8Length(s);
    }

    private static String propagationName(long p) {
        if ((p & MountAttr.MS_PRIVATE) != 0) {
            return "private";
        }
        if ((p & MountAttr.MS_SHARED) != 0) {
            return "shared";
        }
        if ((p & MountAttr.MS_UNBINDABLE) != 0) {
            return "unbindable";
        }
        return "slave";
    }
}
