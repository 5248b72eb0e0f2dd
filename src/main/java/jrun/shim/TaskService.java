package jrun.shim;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jrun.linux.cgroups.CgroupManager;
import jrun.state.ContainerStatus;
import jrun.ttrpc.Code;
import jrun.ttrpc.Fields;
import jrun.ttrpc.ProtoWriter;
import jrun.ttrpc.RpcException;
import jrun.ttrpc.TtrpcServer;

/**
 * containerd.task.v2.Task (runtime/v2/task/shim.proto of containerd 1.6) over jrun: each method
 * reads its request by field number, acts through {@link JrunRuntime} and publishes the event
 * runc's shim publishes for it. Requests run concurrently; a container's own state lock (as in
 * the CLI) orders what reaches the same container.
 */
final class TaskService implements TtrpcServer.Service {
    static final String NAME = "containerd.task.v2.Task";

    /** containerd.v1.types.Status. */
    private static final int STATUS_CREATED = 1;
    private static final int STATUS_RUNNING = 2;
    private static final int STATUS_STOPPED = 3;
    private static final int STATUS_PAUSED = 4;
    private static final int SIGKILL = 9;

    private final JrunRuntime runtime;
    private final Events events;
    private final int shimPid;
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    /** The thread that answered a Shutdown finding no container left (each request has its own). */
    private volatile Thread shutdownBy;
    private final OomWatcher oomWatcher;

    TaskService(JrunRuntime runtime, Events events, int shimPid) {
        this.runtime = runtime;
        this.events = events;
        this.shimPid = shimPid;
        this.oomWatcher = OomWatcher.start(this::oom);
    }

    /**
     * Whether this thread answered a Shutdown that found no container left: the shim exits once
     * that reply is out. Not after any reply once Shutdown came: the previous request's reply
     * reaches containerd, which sends Shutdown, before that request's thread has finished, and
     * an exit there lost Shutdown's own reply (seen in ShimTaskIT under load).
     */
    boolean shutdownRequested() {
        return shutdownBy == Thread.currentThread();
    }

    @Override
    public byte[] call(String method, byte[] payload) throws RpcException {
        long began = ShimTiming.on() ? ShimTiming.nowMicros() : 0;
        Fields r = null;
        try {
            r = Fields.parse(payload);
            return switch (method) {
                case "Create" -> create(r);
                case "Start" -> start(r);
                case "State" -> state(r);
                case "Delete" -> delete(r);
                case "Pids" -> pids(r);
                case "Pause" -> pause(r, true);
                case "Resume" -> pause(r, false);
                case "Kill" -> kill(r);
                case "Exec" -> exec(r);
                case "ResizePty" -> resizePty(r);
                case "CloseIO" -> closeIo(r);
                case "Wait" -> waitFor(r);
                case "Connect" -> connect(r);
                case "Shutdown" -> shutdown();
                case "Update" -> update(r);
                case "Stats" -> stats(r);
                case "Checkpoint" -> throw new RpcException(Code.UNIMPLEMENTED,
                        "checkpoint is not supported by jrun (no CRIU)");
                default -> throw new RpcException(Code.UNIMPLEMENTED, "method " + method);
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException(Code.UNAVAILABLE, "the shim is shutting down");
        } catch (Exception e) {
            throw TaskErrors.toRpc(e);
        } finally {
            if (began != 0) {
                ShimTiming.record(method, idOf(r), began);
            }
        }
    }

    /** The request's container id (field 1 of every task request), for the timing log. */
    private static String idOf(Fields r) {
        try {
            return r == null ? "" : r.string(1);
        } catch (InvalidProtocolBufferException e) {
            return "";
        }
    }

    private Task task(String id) throws RpcException {
        Task t = tasks.get(id);
        if (t == null) {
            throw new RpcException(Code.NOT_FOUND, "container " + id + " does not exist in this shim");
        }
        return t;
    }

    /** CreateTaskRequest: id 1, bundle 2, rootfs 3, terminal 4, stdin 5, stdout 6, stderr 7, checkpoint 8, parent_checkpoint 9. */
    private byte[] create(Fields r) throws Exception {
        String id = r.string(1);
        if (id.isEmpty()) {
            throw new RpcException(Code.INVALID_ARGUMENT, "CreateTaskRequest.id is empty");
        }
        if (!r.string(8).isEmpty() || !r.string(9).isEmpty()) {
            throw new RpcException(Code.UNIMPLEMENTED, "checkpoint/restore is not supported by jrun (no CRIU)");
        }
        Path bundle = Path.of(r.string(2));
        List<RootfsMounts.Mount> mounts = new ArrayList<>();
        for (Fields m : r.messages(3)) {
            mounts.add(new RootfsMounts.Mount(m.string(1), m.string(2), m.strings(4)));
        }
        Stdio stdio = new Stdio(r.string(5), r.string(6), r.string(7), r.bool(4));
        Task task = new Task(id, bundle, new Proc("", stdio, null));
        if (tasks.putIfAbsent(id, task) != null) {
            throw new RpcException(Code.ALREADY_EXISTS, "container " + id + " already exists in this shim");
        }
        JrunRuntime.Created created;
        try {
            RootfsMounts.mount(bundle, mounts);
            try {
                int[] fds = stdio.open(id, events.namespace());
                try {
                    created = runtime.create(id, bundle, fds, stdio.terminal);
                } finally {
                    stdio.handedOver();
                }
            } catch (Exception | Error e) {
                RootfsMounts.unmountAll(bundle);
                throw e;
            }
        } catch (Exception | Error e) {
            tasks.remove(id);
            stdio.closeAll();
            throw e;
        }
        JrunRuntime.Started started = created.init();
        task.init.launched(started, p -> exited(task, p));
        try {
            task.ownPidNamespace = created.ownPidNamespace();
            CgroupManager cgroup = JrunRuntime.cgroup(created.cgroupPaths());
            if (cgroup != null) {
                oomWatcher.watch(task, cgroup);
            }
        } catch (RuntimeException e) {
            // no OOM events for it; nothing else depends on them
        }
        ProtoWriter event = new ProtoWriter().string(1, id).string(2, bundle.toString());
        for (Fields m : r.messages(3)) {
            event.message(3, mount(m));
        }
        events.publish("/tasks/create", "TaskCreate", event
                .message(4, new ProtoWriter().string(1, stdio.stdin).string(2, stdio.stdout).string(3, stdio.stderr)
                        .bool(4, stdio.terminal))
                .uint(6, started.pid()));
        return new ProtoWriter().uint(1, started.pid()).toByteArray();
    }

    private static ProtoWriter mount(Fields m) throws InvalidProtocolBufferException {
        ProtoWriter w = new ProtoWriter().string(1, m.string(1)).string(2, m.string(2)).string(3, m.string(3));
        for (String o : m.strings(4)) {
            w.string(4, o);
        }
        return w;
    }

    /** StartRequest: id 1, exec_id 2. */
    private byte[] start(Fields r) throws Exception {
        Task task = task(r.string(1));
        String execId = r.string(2);
        if (execId.isEmpty()) {
            try {
                runtime.start(task.id);
                events.publish("/tasks/start", "TaskStart", new ProtoWriter().string(1, task.id)
                        .uint(2, task.init.pid()));
            } finally {
                task.init.startPublished();
            }
            return new ProtoWriter().uint(1, task.init.pid()).toByteArray();
        }
        Proc p = task.process(execId);
        JrunRuntime.Started started;
        synchronized (p) {
            if (p.launched()) {
                throw new RpcException(Code.FAILED_PRECONDITION, "process " + execId + " has already been started");
            }
            int[] fds = p.stdio.open(execId, events.namespace());
            try {
                started = runtime.exec(task.id, execId, p.spec, fds);
            } catch (Exception | Error e) {
                p.stdio.closeAll();
                throw e;
            }
            p.stdio.handedOver();
            p.launched(started, q -> exited(task, q));
        }
        events.publish("/tasks/exec-started", "TaskExecStarted",
                new ProtoWriter().string(1, task.id).string(2, execId).uint(3, started.pid()));
        p.startPublished();
        return new ProtoWriter().uint(1, started.pid()).toByteArray();
    }

    private void oom(Task task) {
        events.publish("/tasks/oom", "TaskOOM", new ProtoWriter().string(1, task.id));
    }

    private void exited(Task task, Proc p) {
        if (p == task.init) {
            oomWatcher.finish(task);
            if (!task.ownPidNamespace) {
                try {
                    runtime.kill(task.id, SIGKILL, true);
                } catch (RuntimeException e) {
                    // nothing left to kill
                }
            }
        }
        events.publish("/tasks/exit", "TaskExit", new ProtoWriter().string(1, task.id)
                .string(2, p.execId.isEmpty() ? task.id : p.execId).uint(3, p.pid()).uint(4, p.exitStatus())
                .timestamp(5, p.exitedAtNanos()));
    }

    /** StateRequest: id 1, exec_id 2. */
    private byte[] state(Fields r) throws Exception {
        Task task = task(r.string(1));
        String execId = r.string(2);
        Proc p = task.process(execId);
        return new ProtoWriter().string(1, execId.isEmpty() ? task.id : execId).string(2, task.bundle.toString())
                .uint(3, p.pid()).uint(4, status(task, p)).string(5, p.stdio.stdin).string(6, p.stdio.stdout)
                .string(7, p.stdio.stderr).bool(8, p.stdio.terminal).uint(9, p.exitStatus())
                .timestamp(10, p.exitedAtNanos()).string(11, execId).toByteArray();
    }

    private int status(Task task, Proc p) {
        if (p.hasExited()) {
            return STATUS_STOPPED;
        }
        if (p != task.init) {
            return p.launched() ? STATUS_RUNNING : STATUS_CREATED;
        }
        ContainerStatus s = runtime.status(task.id);
        return switch (s) {
            case CREATED, CREATING -> STATUS_CREATED;
            case RUNNING -> STATUS_RUNNING;
            case PAUSED -> STATUS_PAUSED;
            case STOPPED -> STATUS_STOPPED;
        };
    }

    /** DeleteRequest: id 1, exec_id 2. */
    private byte[] delete(Fields r) throws Exception {
        Task task = task(r.string(1));
        String execId = r.string(2);
        Proc p = task.process(execId);
        if (!execId.isEmpty()) {
            if (p.launched() && !p.hasExited()) {
                throw new RpcException(Code.FAILED_PRECONDITION, "cannot delete a running process");
            }
            task.execs.remove(execId);
            p.stdio.release();
            return deleteResponse(p);
        }
        boolean created = !p.hasExited() && runtime.status(task.id) == ContainerStatus.CREATED;
        if (!p.hasExited() && !created) {
            throw new RpcException(Code.FAILED_PRECONDITION, "cannot delete a running container");
        }
        // A created container's init is killed by the delete (as runc's); its exit is reaped.
        p.startPublished();
        runtime.delete(task.id, created);
        p.awaitExit();
        RootfsMounts.unmountAll(task.bundle);
        p.stdio.release();
        tasks.remove(task.id);
        events.publish("/tasks/delete", "TaskDelete", new ProtoWriter().string(1, task.id).uint(2, p.pid())
                .uint(3, p.exitStatus()).timestamp(4, p.exitedAtNanos()));
        return deleteResponse(p);
    }

    private static byte[] deleteResponse(Proc p) {
        return new ProtoWriter().uint(1, p.pid()).uint(2, p.exitStatus()).timestamp(3, p.exitedAtNanos())
                .toByteArray();
    }

    /** PidsRequest: id 1. ProcessInfo: pid 1, info 2 (runc's ProcessDetails with the exec id). */
    private byte[] pids(Fields r) throws Exception {
        Task task = task(r.string(1));
        ProtoWriter w = new ProtoWriter();
        for (int pid : runtime.pids(task.id)) {
            ProtoWriter info = new ProtoWriter().uint(1, pid);
            for (Proc p : task.execs.values()) {
                if (p.pid() == pid) {
                    info.any(2, "containerd.runc.v1.ProcessDetails", new ProtoWriter().string(1, p.execId).toByteArray());
                }
            }
            w.message(1, info);
        }
        return w.toByteArray();
    }

    /** PauseRequest, ResumeRequest: id 1. */
    private byte[] pause(Fields r, boolean freeze) throws Exception {
        Task task = task(r.string(1));
        runtime.pause(task.id, freeze);
        events.publish(freeze ? "/tasks/paused" : "/tasks/resumed", freeze ? "TaskPaused" : "TaskResumed",
                new ProtoWriter().string(1, task.id));
        return new byte[0];
    }

    /** KillRequest: id 1, exec_id 2, signal 3, all 4. */
    private byte[] kill(Fields r) throws Exception {
        Task task = task(r.string(1));
        String execId = r.string(2);
        Proc p = task.process(execId);
        int signal = r.uint32(3);
        if (!execId.isEmpty()) {
            p.signal(signal);
            return new byte[0];
        }
        if (p.hasExited() && !r.bool(4)) {
            throw new RpcException(Code.NOT_FOUND, "process already finished");
        }
        runtime.kill(task.id, signal, r.bool(4));
        return new byte[0];
    }

    /** ExecProcessRequest: id 1, exec_id 2, terminal 3, stdin 4, stdout 5, stderr 6, spec 7 (Any: the process as JSON). */
    private byte[] exec(Fields r) throws Exception {
        Task task = task(r.string(1));
        String execId = r.string(2);
        if (execId.isEmpty()) {
            throw new RpcException(Code.INVALID_ARGUMENT, "ExecProcessRequest.exec_id is empty");
        }
        if (task.init.hasExited()) {
            throw new RpcException(Code.FAILED_PRECONDITION, "container " + task.id + " is stopped");
        }
        byte[] spec = r.message(7).bytes(2).toByteArray();
        Proc p = new Proc(execId, new Stdio(r.string(4), r.string(5), r.string(6), r.bool(3)), spec);
        if (task.execs.putIfAbsent(execId, p) != null) {
            throw new RpcException(Code.ALREADY_EXISTS, "id " + execId + " already in use");
        }
        events.publish("/tasks/exec-added", "TaskExecAdded", new ProtoWriter().string(1, task.id).string(2, execId));
        return new byte[0];
    }

    /** ResizePtyRequest: id 1, exec_id 2, width 3, height 4. */
    private byte[] resizePty(Fields r) throws Exception {
        Proc p = task(r.string(1)).process(r.string(2));
        if (!p.stdio.resize(r.uint32(3), r.uint32(4))) {
            throw new RpcException(Code.FAILED_PRECONDITION, "the process has no terminal");
        }
        return new byte[0];
    }

    /** CloseIORequest: id 1, exec_id 2, stdin 3. */
    private byte[] closeIo(Fields r) throws Exception {
        Proc p = task(r.string(1)).process(r.string(2));
        if (r.bool(3)) {
            p.stdio.closeStdin();
        }
        return new byte[0];
    }

    /** WaitRequest: id 1, exec_id 2; WaitResponse: exit_status 1, exited_at 2. */
    private byte[] waitFor(Fields r) throws Exception {
        Proc p = task(r.string(1)).process(r.string(2));
        p.awaitExit();
        return new ProtoWriter().uint(1, p.exitStatus()).timestamp(2, p.exitedAtNanos()).toByteArray();
    }

    /** UpdateTaskRequest: id 1, resources 2 (Any: the runtime-spec's LinuxResources as JSON), annotations 3. */
    private byte[] update(Fields r) throws Exception {
        Task task = task(r.string(1));
        if (!r.has(2)) {
            throw new RpcException(Code.INVALID_ARGUMENT, "UpdateTaskRequest.resources is missing");
        }
        runtime.update(task.id, r.message(2).bytes(2).toByteArray());
        return new byte[0];
    }

    /** StatsRequest: id 1; StatsResponse: stats 1 (Any of containerd's cgroups Metrics). */
    private byte[] stats(Fields r) throws Exception {
        Task task = task(r.string(1));
        ContainerMetrics.Encoded metrics = runtime.stats(task.id);
        return new ProtoWriter().any(1, metrics.typeUrl(), metrics.value()).toByteArray();
    }

    /** ConnectRequest: id 1; ConnectResponse: shim_pid 1, task_pid 2, version 3. */
    private byte[] connect(Fields r) throws Exception {
        Task task = tasks.get(r.string(1));
        return new ProtoWriter().uint(1, shimPid).uint(2, task == null ? 0 : task.init.pid()).toByteArray();
    }

    private byte[] shutdown() {
        if (tasks.isEmpty()) {
            shutdownBy = Thread.currentThread();
        }
        return new byte[0];
    }
}
