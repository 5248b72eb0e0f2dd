package jrun.container;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import jrun.base.JrunException;
import jrun.hooks.HookPhase;
import jrun.hooks.HookRunner;
import jrun.json.JsonValue;
import jrun.process.ContainerHookStarter;
import jrun.spec.Hooks;
import jrun.spec.SpecReader;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.OciState;
import jrun.state.StateJson;
import jrun.state.StateStore;
import jrun.validation.JsonTrees;

/**
 * The OCI hooks at their moments in the lifecycle, each where the spec runs it: prestart,
 * createRuntime (jrun's namespaces) and createContainer (the container's, before pivot_root)
 * while the init waits in {@code create}; startContainer (the container's) and poststart
 * (jrun's) in {@code start}; poststop in {@code delete}. The hooks of a created container are
 * saved in its state directory (as runc saves its config), so start and delete run what create
 * was given even when the bundle has changed or gone.
 */
public final class LifecycleHooks {
    public static final String FILE = "hooks.json";
    private static final long MAX_BYTES = 4L << 20;

    private LifecycleHooks() {}

    /** Whether {@code create} must stop the init before pivot_root for hooks. */
    static boolean pauseForCreate(Hooks hooks) {
        return hooks != null && !(hooks.prestart().isEmpty() && hooks.createRuntime().isEmpty()
                && hooks.createContainer().isEmpty());
    }

    /** Runs prestart, createRuntime and createContainer; the first failure fails {@code create}. */
    static void runForCreate(Hooks hooks, ContainerState creating, int initPid) {
        byte[] state = state(creating.withProcess(initPid, 0), ContainerStatus.CREATING);
        HookRunner runtime = HookRunner.inRuntimeNamespace();
        runtime.run(HookPhase.PRESTART, hooks.prestart(), state);
        runtime.run(HookPhase.CREATE_RUNTIME, hooks.createRuntime(), state);
        new HookRunner(new ContainerHookStarter(initPid)).run(HookPhase.CREATE_CONTAINER, hooks.createContainer(), state);
    }

    /** startContainer, in the container, before its process is released. */
    static void runStartContainer(Hooks hooks, ContainerState created) {
        if (hooks != null && !hooks.startContainer().isEmpty()) {
            new HookRunner(new ContainerHookStarter(created.pid())).run(HookPhase.START_CONTAINER,
                    hooks.startContainer(), state(created, ContainerStatus.CREATED));
        }
    }

    /** poststart, after the process is exec'd: a failure is an error (runtime-spec 1.1 on, as runc). */
    static void runPoststart(Hooks hooks, ContainerState running) {
        if (hooks != null && !hooks.poststart().isEmpty()) {
            HookRunner.inRuntimeNamespace().run(HookPhase.POSTSTART, hooks.poststart(),
                    state(running, ContainerStatus.RUNNING));
        }
    }

    /** poststop, after the container is gone: failures are warnings; returns them. */
    public static List<String> runPoststop(Hooks hooks, ContainerState deleted) {
        if (hooks == null || hooks.poststop().isEmpty()) {
            return List.of();
        }
        return HookRunner.inRuntimeNamespace().runBestEffort(HookPhase.POSTSTOP, hooks.poststop(),
                state(deleted, ContainerStatus.STOPPED));
    }

    /** The delete step that runs the saved poststop hooks, reporting failures to {@code warn}. */
    public static ContainerDeleter.Release poststop(StateStore store, Consumer<String> warn) {
        return state -> runPoststop(load(store.containerDir(state.id())), state).forEach(warn);
    }

    private static byte[] state(ContainerState s, ContainerStatus status) {
        return StateJson.toSpecState(OciState.of(s, status, null));
    }

    /** Saves the config's {@code hooks} object next to the state, when start or delete will need it. */
    static void save(StateStore store, String id, JsonValue hooksTree, Hooks hooks) {
        if (hooks == null || (hooks.startContainer().isEmpty() && hooks.poststart().isEmpty()
                && hooks.poststop().isEmpty())) {
            return;
        }
        store.saveFile(id, FILE, hooksTree.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The hooks create saved, or null when it saved none. */
    public static Hooks load(Path containerDir) {
        Path file = containerDir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return SpecReader.readHooks(JsonTrees.read(file, file.toString(), MAX_BYTES), file.toString());
        } catch (JrunException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return null;
            }
            throw e;
        }
    }
}
