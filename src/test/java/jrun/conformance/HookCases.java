package jrun.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jrun.it.Bundles;
import jrun.it.Configs;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * config.md#posix-platform-hooks and runtime.md#lifecycle: when each hook runs, in which
 * namespace, with what on stdin, and what a failing hook does to its operation. Every hook
 * (and the container's program) appends "NAME MOUNT-NAMESPACE" to one log, in a host directory
 * the container sees at /hooklog, and saves its stdin as NAME.json there.
 */
final class HookCases {
    private static final String HOOKS = "config.md#posix-platform-hooks";
    private static final String LIFECYCLE = "runtime.md#lifecycle";
    private static final String PROGRAM = "echo \"program $(readlink /proc/self/ns/mnt)\" >> /hooklog/order";

    private HookCases() {}

    /** One case's hooks: a log directory and the bundle's hooks object. */
    private record Hooks(Path log, Path script) {
        static Hooks in(CaseRun run) throws IOException {
            Path log = Files.createDirectories(run.dir().resolve("hooklog"));
            Path script = run.hostScript("hook.sh", "cat > " + log + "/\"$1\".json\n"
                    + "echo \"$1 $(readlink /proc/self/ns/mnt)\" >> " + log + "/order\n"
                    + "exit \"${2:-0}\"\n");
            return new Hooks(log, script);
        }

        /** Adds a hook of {@code phase} recording itself as {@code name}, exiting with {@code exit}. */
        void add(ObjectNode config, String phase, String name, int exit) {
            ObjectNode hooks = config.has("hooks") ? (ObjectNode) config.get("hooks") : config.putObject("hooks");
            if (phase.equals("startContainer")) {
                // resolved and run in the container: its own shell, the log through the bind mount
                Configs.hook(hooks, phase, "/bin/sh", List.of("sh", "-c", "cat > /hooklog/" + name + ".json; "
                        + "echo \"" + name + " $(readlink /proc/self/ns/mnt)\" >> /hooklog/order; exit " + exit), null);
            } else {
                Configs.hook(hooks, phase, script.toString(), List.of("hook.sh", name, Integer.toString(exit)), null);
            }
        }

        void addAll(ObjectNode config) {
            for (String phase : List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop")) {
                add(config, phase, phase, 0);
            }
        }

        Path bundle(CaseRun run, String script, java.util.function.Consumer<ObjectNode> edit) {
            return run.bundle(script, config -> {
                Configs.addMount(config, "/hooklog", "bind", log.toString(), "rbind", "rw");
                edit.accept(config);
            });
        }

        /** The names in the log, in order. */
        List<String> order() throws IOException {
            Path order = log.resolve("order");
            return Files.exists(order) ? Files.readAllLines(order).stream().map(l -> l.split(" ")[0]).toList() : List.of();
        }

        /** The mount namespace the entry {@code name} ran in. */
        String namespaceOf(String name) throws IOException {
            return Files.readAllLines(log.resolve("order")).stream().filter(l -> l.startsWith(name + " "))
                    .map(l -> l.split(" ")[1]).findFirst().orElseThrow(() -> new AssertionError(name + " did not run"));
        }

        JsonNode stdinOf(String name) throws IOException {
            return Bundles.parse(Files.readString(log.resolve(name + ".json")));
        }
    }

    /** A container with every hook, through its whole lifecycle; returns the hooks' log. */
    private static Hooks fullLifecycle(CaseRun run) throws Exception {
        Hooks hooks = Hooks.in(run);
        Container c = run.create(hooks.bundle(run, PROGRAM, hooks::addAll));
        c.start();
        c.awaitStatus("stopped");
        c.delete();
        return hooks;
    }

    static List<SpecCase> cases() {
        return List.of(
                new SpecCase("hooks-listed-order", HOOKS, "Hooks MUST be called in the listed order.",
                        run -> {
                            Hooks hooks = Hooks.in(run);
                            run.inside(hooks.bundle(run, "true", config -> {
                                hooks.add(config, "prestart", "first", 0);
                                hooks.add(config, "prestart", "second", 0);
                                hooks.add(config, "prestart", "third", 0);
                            }));
                            Expect.equal(List.of("first", "second", "third"), hooks.order(), "the hooks' order");
                        }),
                new SpecCase("hooks-lifecycle-order", LIFECYCLE,
                        "The prestart hooks MUST be called before the createRuntime hooks. The createContainer hooks MUST be called after the createRuntime hooks. The startContainer hooks MUST be called before the user-specified process is executed",
                        run -> Expect.equal(List.of("prestart", "createRuntime", "createContainer", "startContainer", "program",
                                "poststart", "poststop"), fullLifecycle(run).order(), "the order of the hooks and the program")),
                new SpecCase("hooks-create-operation", HOOKS,
                        "The `prestart` hooks MUST be called as part of the `create` operation ... The `createRuntime` hooks MUST be called as part of the `create` operation ... The `createContainer` hooks MUST be called as part of the `create` operation",
                        run -> {
                            Hooks hooks = Hooks.in(run);
                            run.create(hooks.bundle(run, PROGRAM, hooks::addAll));
                            Expect.equal(List.of("prestart", "createRuntime", "createContainer"), hooks.order(), "hooks run by create");
                        }),
                new SpecCase("hooks-poststart-before-start-returns", HOOKS,
                        "The `poststart` hooks MUST be called after the user-specified process is executed but before the `start` operation returns.",
                        run -> {
                            Hooks hooks = Hooks.in(run);
                            Container c = run.create(hooks.bundle(run, PROGRAM + "; sleep 1", hooks::addAll));
                            c.start();
                            Expect.that(hooks.order().contains("poststart"), "poststart has not run when start returned: " + hooks.order());
                            Expect.equal("running", hooks.stdinOf("poststart").path("status").asString(), "the status poststart got");
                        }),
                new SpecCase("hooks-poststop-before-delete-returns", HOOKS,
                        "The `poststop` hooks MUST be called after the container is deleted but before the `delete` operation returns.",
                        run -> {
                            Hooks hooks = Hooks.in(run);
                            Container c = run.create(hooks.bundle(run, PROGRAM, hooks::addAll));
                            c.start();
                            c.awaitStatus("stopped");
                            Expect.that(!hooks.order().contains("poststop"), "poststop ran before delete");
                            c.delete();
                            Expect.that(hooks.order().contains("poststop"), "poststop has not run when delete returned");
                        }),
                new SpecCase("hooks-state-on-stdin", HOOKS,
                        "The state of the container MUST be passed to hooks over stdin so that they may do work appropriate to the current state of the container.",
                        run -> {
                            Hooks hooks = Hooks.in(run);
                            Container c = run.create(hooks.bundle(run, PROGRAM, hooks::addAll));
                            int pid = c.state().path("pid").asInt();
                            for (String phase : List.of("prestart", "createRuntime")) {
                                JsonNode s = hooks.stdinOf(phase);
                                Expect.equal(c.id(), s.path("id").asString(), phase + "'s id");
                                Expect.equal(c.bundle().toString(), s.path("bundle").asString(), phase + "'s bundle");
                                Expect.equal(pid, s.path("pid").asInt(), phase + "'s pid (the runtime's view)");
                                Expect.that(!s.path("ociVersion").asString().isEmpty(), phase + " got no ociVersion: " + s);
                            }
                        }),
                namespaceCase("prestart", true), namespaceCase("createRuntime", true), namespaceCase("createContainer", false),
                namespaceCase("startContainer", false), namespaceCase("poststart", true), namespaceCase("poststop", true),
                failingCreateHook("prestart"), failingCreateHook("createRuntime"), failingCreateHook("createContainer"),
                new SpecCase("hooks-startContainer-fails", LIFECYCLE,
                        "If any `startContainer` hook fails, the runtime MUST generate an error, stop the container, and continue the lifecycle at step 12.",
                        run -> failingStartHook(run, "startContainer")),
                new SpecCase("hooks-poststart-fails", LIFECYCLE,
                        "If any `poststart` hook fails, the runtime MUST generate an error, stop the container, and continue the lifecycle at step 12.",
                        run -> failingStartHook(run, "poststart")),
                new SpecCase("hooks-poststop-fails-warns", LIFECYCLE,
                        "If any `poststop` hook fails, the runtime MUST log a warning, but the remaining hooks and lifecycle continue as if the hook had succeeded.",
                        run -> {
                            Hooks hooks = Hooks.in(run);
                            Container c = run.create(hooks.bundle(run, "true", config -> {
                                hooks.add(config, "poststop", "failing", 1);
                                hooks.add(config, "poststop", "next", 0);
                            }));
                            c.start();
                            c.awaitStatus("stopped");
                            c.delete();
                            Expect.equal(List.of("failing", "next"), hooks.order(), "poststop hooks run");
                            Expect.error(run.runtime().run("state", c.id()), "state after delete");
                        }),
                new SpecCase("hooks-timeout", HOOKS,
                        "`timeout` (int, OPTIONAL) is the number of seconds before aborting the hook. If set, `timeout` MUST be greater than zero.",
                        run -> {
                            String id = run.newId();
                            Path bundle = run.bundle("true", config -> Configs.hook(config.putObject("hooks"), "prestart", "/bin/sleep",
                                    List.of("sleep", "60"), null).put("timeout", 1));
                            long start = System.nanoTime();
                            Expect.error(run.tryCreate(bundle, id), "create with a hanging prestart hook");
                            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
                            Expect.that(seconds < 30, "create took " + seconds + " s: the hook was not aborted after 1 s");
                            Expect.error(run.runtime().run("state", id), "state after the failed create");
                        }),
                new SpecCase("hooks-args-and-env", HOOKS,
                        "`args` (array of strings, OPTIONAL) with the same semantics as IEEE Std 1003.1-2008 `execv`'s *argv*. `env` (array of strings, OPTIONAL) with the same semantics as IEEE Std 1003.1-2008's `environ`.",
                        run -> {
                            Path out = run.dir().resolve("hook-env");
                            run.inside(run.bundle("true", config -> Configs.hook(config.putObject("hooks"), "prestart", "/bin/sh",
                                    List.of("sh", "-c", "echo \"$0|$1\" > " + out + "; echo \"$SPEC_HOOK\" >> " + out, "a b", "c"),
                                    "SPEC_HOOK=value=1")));
                            Expect.equal("a b|c\nvalue=1\n", Files.readString(out), "the hook's arguments and environment");
                        }));
    }

    private static SpecCase namespaceCase(String phase, boolean runtimeNamespace) {
        String where = runtimeNamespace ? "runtime" : "container";
        return new SpecCase("hooks-" + phase + "-" + where + "-namespace", HOOKS,
                "The `" + phase + "` hooks MUST be executed in the " + where + " namespace.",
                run -> {
                    Hooks hooks = fullLifecycle(run);
                    String expected = runtimeNamespace ? Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString()
                            : hooks.namespaceOf("program");
                    Expect.equal(expected, hooks.namespaceOf(phase), phase + "'s mount namespace (the " + where + "'s)");
                });
    }

    private static SpecCase failingCreateHook(String phase) {
        return new SpecCase("hooks-" + phase + "-fails", LIFECYCLE,
                "If any `" + phase + "` hook fails, the runtime MUST generate an error, stop the container, and continue the lifecycle at step 12.",
                run -> {
                    Hooks hooks = Hooks.in(run);
                    String id = run.newId();
                    Path bundle = hooks.bundle(run, PROGRAM, config -> {
                        hooks.add(config, phase, "failing", 1);
                        hooks.add(config, "poststop", "poststop", 0);
                    });
                    Expect.error(run.tryCreate(bundle, id), "create with a failing " + phase + " hook");
                    Expect.error(run.runtime().run("state", id), "state after the failed create");
                    Expect.that(!hooks.order().contains("program"), "the program ran: " + hooks.order());
                    Expect.equal(List.of(), jrun.it.Leftovers.mountsUnder(bundle), "mounts left under the bundle");
                });
    }

    /** A failing {@code phase} hook at start: an error, the container stopped (or gone). */
    private static void failingStartHook(CaseRun run, String phase) throws Exception {
        Hooks hooks = Hooks.in(run);
        Container c = run.create(hooks.bundle(run, PROGRAM + "; while true; do sleep 0.1; done",
                config -> hooks.add(config, phase, "failing", 1)));
        Expect.error(c.tryStart(), "start with a failing " + phase + " hook");
        jrun.it.Jrun.Result state = run.runtime().run("state", c.id());
        if (state.exit() == 0) {
            c.awaitStatus("stopped");
        }
    }
}
