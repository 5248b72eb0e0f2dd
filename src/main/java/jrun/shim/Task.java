package jrun.shim;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jrun.linux.cgroups.OomEvents;
import jrun.ttrpc.Code;
import jrun.ttrpc.RpcException;

/** A container the shim serves: its init, its exec'd processes by exec id, and where it lives. */
final class Task {
    final String id;
    final Path bundle;
    final Proc init;
    final Map<String, Proc> execs = new ConcurrentHashMap<>();
    /** Whether the init has a pid namespace of its own (see JrunRuntime.Created); true until known. */
    volatile boolean ownPidNamespace = true;
    /** The OOM kills of its cgroup while the init runs, and their key in the watcher (OomWatcher's, under the task's lock). */
    OomEvents oom;
    long oomToken;

    Task(String id, Path bundle, Proc init) {
        this.id = id;
        this.bundle = bundle;
        this.init = init;
    }

    /** The init for an empty exec id, else that exec's process. */
    Proc process(String execId) throws RpcException {
        if (execId.isEmpty()) {
            return init;
        }
        Proc p = execs.get(execId);
        if (p == null) {
            throw new RpcException(Code.NOT_FOUND, "process " + execId + " does not exist in container " + id);
        }
        return p;
    }
}
