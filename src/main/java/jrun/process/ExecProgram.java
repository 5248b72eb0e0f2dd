package jrun.process;

import static jrun.sys.Kernel.*;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import jrun.linux.NamespaceKind;
import jrun.linux.ProcessPlan;
import jrun.linux.seccomp.SeccompFilter;
import jrun.process.ProgramBuilder.Reg;
import jrun.sys.SyscallNr;

/**
 * Compiles what a process exec'd into a running container does between clone3 and execve:
 * join the container's namespaces (setns on fds jrun opened on the init's /proc/PID/ns, so the
 * mount and user namespaces are entered by this single-threaded child, as only it may), take
 * the container's root as its own (entering the mount namespace does that), then the same
 * process steps as the init ({@link ProcessSetup}). The child itself stays outside the
 * container's pid namespace, where no container process sees it: once it holds nothing of the
 * host (JvmTraces, fds closed, the container's identity and capabilities) it forks the process
 * that enters it and goes on to execve (ChildLauncher.emitForkVisible).
 */
final class ExecProgram {
    /** A namespace to enter, by an fd the parent opened. */
    record Join(NamespaceKind kind, int fd) {}

    /**
     * @param joins in the order to enter them: user first (it owns the others), mount last; pid
     *              applies to the process forked at the end of the set-up
     * @param rootFd an O_PATH fd of the init's root (/proc/PID/root), taken as this process's
     *               root: entering a mount namespace gives its root, which a container made
     *               with --no-pivot (chroot) does not use
     * @param stdio fds to put on 0, 1 and 2 (-1 keeps jrun's), e.g. a hook's stdin and output pipes
     * @param waitAfterReady whether the process waits, once set up, for jrun to let it go on to
     *                       its execve: the time jrun needs to put it in a frozen cgroup (exec
     *                       into a paused container), so that none of its code runs before
     * @param cgroupJoinFiles files the process writes {@code 0} to, to move itself into the
     *                        container's v1 cgroups (CgroupManager.selfJoinFiles), first
     * @param hideMappedFiles whether a process of the container could open the child's
     *                        /proc/PID entries ({@link PtraceReach}): then the child replaces
     *                        the host files it maps ({@link HostFileMappings})
     */
    record Options(List<Join> joins, int rootFd, ProcessSetup.Launch launch, int[] stdio, String origin,
                   boolean waitAfterReady, List<Path> cgroupJoinFiles, boolean hideMappedFiles) {
        Options {
            joins = List.copyOf(joins);
            cgroupJoinFiles = List.copyOf(cgroupJoinFiles);
        }
    }

    private ExecProgram() {}

    /** Whether the process is forked into the pid namespace once set up (ChildLauncher.emitForkVisible). */
    static boolean joinsPidNamespace(List<Join> joins) {
        return joins(joins, NamespaceKind.PID);
    }

    static boolean joins(List<Join> joins, NamespaceKind kind) {
        for (Join j : joins) {
            if (j.kind() == kind) {
                return true;
            }
        }
        return false;
    }

    static Program compile(Arena arena, ChildLauncher.Pipes pipes, ProcessPlan process, Options options) {
        ProgramBuilder b = new ProgramBuilder(arena);
        b.role(options.origin().equals(ContainerHookStarter.ORIGIN) ? "hook" : "exec");
        ChildLauncher.emitPrologue(b, pipes);
        if (options.hideMappedFiles()) {
            // First: before the child moves itself into the container's v1 cgroups, so that on
            // v1 the copies are charged to jrun's memory cgroup, not to the container's limit.
            HostFileMappings.emitReplace(b);
        }
        ProcessSetup setup = new ProcessSetup(b, process, options.launch(), pipes, options.origin());
        setup.joinCgroups(options.cgroupJoinFiles(), "the container's cgroup");
        // Into a paused container jrun sets the final CPUs again once it has moved the process.
        setup.finalAffinity();
        setup.resetSignals();
        b.call(SyscallNr.UMASK, 0);
        // Labels are written through the host's /proc, before the container's mount namespace.
        setup.execLabels();
        for (Join j : options.joins()) {
            b.step("join the container's " + j.kind().specName() + " namespace");
            b.call(SyscallNr.SETNS, j.fd(), j.kind().cloneFlag());
            b.call(SyscallNr.CLOSE, j.fd());
        }
        setup.connectStdio(options.stdio());
        Reg root = b.newReg();
        b.step("enter the container's root");
        b.call(SyscallNr.FCHDIR, options.rootFd());
        b.call(SyscallNr.CHROOT, b.cstr("."));
        b.call(SyscallNr.CLOSE, options.rootFd());
        b.call(SyscallNr.OPENAT, AT_FDCWD, b.cstr("/"), O_PATH | O_DIRECTORY | O_CLOEXEC).into(root);
        setup.terminal(root, false);
        setup.terminalAsStdio();
        setup.workingDirectoryAndExecutable(root);
        b.call(SyscallNr.CLOSE, root);
        setup.scheduling();
        JvmTraces.emitErase(b);
        setup.hygiene(pipes.reportWrite(), pipes.goRead());
        setup.identity();
        setup.loadSeccompAt(SeccompFilter.Placement.BEFORE_READY);
        if (joinsPidNamespace(options.joins())) {
            ChildLauncher.emitForkVisible(b, pipes);
        }
        setup.controllingTerminal();
        b.step("report that the process is set up");
        ChildLauncher.emitReady(b, pipes);
        if (options.waitAfterReady()) {
            // Before a filter placed before the execve, which could refuse this read.
            b.step("wait to be in the container's frozen cgroup");
            b.call(SyscallNr.READ, pipes.goRead(), b.buffer(1).address(), 1).expect(1);
        }
        setup.loadSeccompAt(SeccompFilter.Placement.BEFORE_EXEC);
        setup.execve();
        return b.build();
    }
}
