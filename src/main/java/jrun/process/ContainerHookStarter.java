package jrun.process;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.util.List;
import jrun.hooks.HookProcess;
import jrun.hooks.HookProcessStarter;
import jrun.hooks.PidfdHookProcess;
import jrun.linux.ProcessPlan;
import jrun.linux.ProcessScheduling;
import jrun.sys.Errno;
import jrun.sys.Pipe;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * Starts hooks in the container's namespaces ({@code createContainer}, {@code startContainer}),
 * through the same join as {@code exec}: the hook enters every namespace of the container's init
 * and its root, keeps jrun's identity and capabilities, and talks to jrun over pipes.
 * Before pivot_root (createContainer) the init's root is still the host's, so the hook's path
 * resolves as the runtime sees it; after (startContainer) it resolves in the container.
 */
public final class ContainerHookStarter implements HookProcessStarter {
    static final String ORIGIN = "the hook";
    private final int initPid;

  public   ContainerHookStarter(int initPid) {
        this.initPid = initPid;
    }

    @Override
    public HookProcess start(String path, List<String> argv, List<String> env) throws IOException {
        ProcessPlan plan = new ProcessPlan(argv, env, "/", List.of(path), 0, 0, List.of(), null, List.of(), false,
                null, null, null, ProcessScheduling.NONE);
        Arena arena = Arena.ofShared();
        Pipe in = null;
        Pipe out = null;
        Pipe err = null;
        ProcessSetup.Launched launched = null;
        try {
            in = Pipe.open("a hook's stdin");
            out = Pipe.open("a hook's stdout");
            err = Pipe.open("a hook's stderr");
            launched = ContainerJoin.launch(arena, initPid, null, plan, new ProcessSetup.Launch(0),
                    new ContainerJoin.Extras(new int[] {in.read(), out.write(), err.write()}, null, false, false, true),
                    ORIGIN);
            ChildLauncher.await(launched.child(), 0);
        } catch (StepFailedException e) {
            if (launched != null) {
                ChildLauncher.reap(launched.child());
            }
            abandon(arena, launched, in, out, err);
            throw new IOException(Errno.describe(e.errno()), e);
        } catch (RuntimeException e) {
            abandon(arena, launched, in, out, err);
            throw new IOException(e.getMessage(), e);
        }
        Sys.attempt(SyscallNr.CLOSE, in.read());
        Sys.attempt(SyscallNr.CLOSE, out.write());
        Sys.attempt(SyscallNr.CLOSE, err.write());
        ChildLauncher.Child child = launched.child();
        // The child's program lives in the arena until the hook is reaped.
        return new PidfdHookProcess(child.pid(), child.pidfd(), in.write(), out.read(), err.read(), () -> {
            child.pipes().closeParentEnds();
            arena.close();
        });
    }

    private static void abandon(Arena arena, ProcessSetup.Launched launched, Pipe... pipes) {
        for (Pipe p : pipes) {
            if (p != null) {
                p.close();
            }
        }
        if (launched != null) {
            Sys.attempt(SyscallNr.CLOSE, launched.child().pidfd());
            launched.child().pipes().closeParentEnds();
        }
        arena.close();
    }
}
