package jrun.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jrun.it.Bundles;
import jrun.it.Jrun;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** runtime.md: the state, the lifecycle and the operations, each error of an invalid transition. */
final class LifecycleCases {
    private static final String RUNTIME = "runtime.md";
    /** A process that says it runs, then waits to be killed. */
    private static final String WAIT = "echo running; while true; do sleep 0.1; done";

    private LifecycleCases() {}

    static List<SpecCase> cases() {
        return List.of(
                new SpecCase("state-created", RUNTIME + "#state",
                        "`created`: the runtime has finished the create operation (after step 2 in the lifecycle), and the container process has neither exited nor executed the user-specified program",
                        run -> {
                            Container c = run.create(run.bundle("echo ran", config -> { }));
                            JsonNode s = c.state();
                            Expect.equal("created", s.path("status").asString(), "status");
                            Expect.equal(c.id(), s.path("id").asString(), "id");
                            Expect.equal("", c.stdout(), "output of the user's program before start");
                        }),
                new SpecCase("state-pid-created", RUNTIME + "#state",
                        "`pid` (int, REQUIRED when `status` is `created` or `running` on Linux) is the ID of the container process.",
                        run -> {
                            Container c = run.create(run.bundle("true", config -> { }));
                            int pid = c.state().path("pid").asInt();
                            Expect.that(pid > 0 && Files.isDirectory(Path.of("/proc/" + pid)),
                                    "state's pid " + pid + " is not a live process");
                        }),
                new SpecCase("state-bundle", RUNTIME + "#state",
                        "`bundle` (string, REQUIRED) is the absolute path to the container's bundle directory.",
                        run -> {
                            Container c = run.create(run.bundle("true", config -> { }));
                            Expect.equal(c.bundle().toAbsolutePath().toString(), c.state().path("bundle").asString(), "bundle");
                        }),
                new SpecCase("state-ociVersion", RUNTIME + "#state",
                        "`ociVersion` (string, REQUIRED) is version of the Open Container Initiative Runtime Specification with which the state complies.",
                        run -> {
                            Container c = run.create(run.bundle("true", config -> { }));
                            String v = c.state().path("ociVersion").asString();
                            Expect.that(v.matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?"),
                                    "ociVersion \"" + v + "\" is not SemVer 2.0.0");
                        }),
                new SpecCase("state-annotations", RUNTIME + "#state",
                        "`annotations` (map, OPTIONAL) contains the list of annotations associated with the container.",
                        run -> {
                            Container c = run.create(run.bundle("true", config -> config.putObject("annotations")
                                    .put("com.example.key", "value-1").put("org.example.other", "2")));
                            JsonNode a = c.state().path("annotations");
                            Expect.equal("value-1", a.path("com.example.key").asString(), "annotation com.example.key");
                            Expect.equal("2", a.path("org.example.other").asString(), "annotation org.example.other");
                        }),
                new SpecCase("state-running", RUNTIME + "#state",
                        "`running`: the container process has executed the user-specified program but has not exited (after step 8 in the lifecycle)",
                        run -> {
                            Container c = run.create(run.bundle(WAIT, config -> { }));
                            int pid = c.state().path("pid").asInt();
                            c.start();
                            c.awaitOutput("running");
                            JsonNode s = c.state();
                            Expect.equal("running", s.path("status").asString(), "status");
                            Expect.equal(pid, s.path("pid").asInt(), "pid after start");
                        }),
                new SpecCase("state-stopped", RUNTIME + "#state",
                        "`stopped`: the container process has exited (step 10 in the lifecycle)",
                        run -> {
                            Container c = run.create(run.bundle("exit 3", config -> { }));
                            c.start();
                            c.awaitStatus("stopped");
                        }),
                new SpecCase("state-unknown-id", RUNTIME + "#query-state",
                        "Attempting to query a container that does not exist MUST generate an error.",
                        run -> Expect.error(run.runtime().run("state", run.newId()), "state of an unknown id")),
                new SpecCase("state-no-id", RUNTIME + "#query-state",
                        "This operation MUST generate an error if it is not provided the ID of a container.",
                        run -> Expect.error(run.runtime().run("state"), "state without an id")),
                new SpecCase("create-not-running-program", RUNTIME + "#lifecycle",
                        "While the resources requested in the config.json MUST be created, the user-specified program (from process) MUST NOT be run at this time.",
                        run -> {
                            Container c = run.create(run.bundle("echo ran", config -> { }));
                            Thread.sleep(300);
                            Expect.equal("", c.stdout(), "output before start");
                            c.start();
                            c.awaitStatus("stopped");
                            Expect.equal("ran\n", c.stdout(), "output after start");
                        }),
                new SpecCase("create-duplicate-id", RUNTIME + "#create",
                        "If the ID provided is not unique across all containers within the scope of the runtime, or is not valid in any other way, the implementation MUST generate an error and a new container MUST NOT be created.",
                        run -> {
                            Container first = run.create(run.bundle("echo first", config -> { }));
                            int pid = first.state().path("pid").asInt();
                            Path second = run.bundle("echo second", config -> { });
                            Expect.error(run.tryCreate(second, first.id()), "create with an id in use");
                            JsonNode s = first.state();
                            Expect.equal(pid, s.path("pid").asInt(), "the first container's pid");
                            Expect.equal(first.bundle().toString(), s.path("bundle").asString(), "the first container's bundle");
                        }),
                new SpecCase("create-no-id", RUNTIME + "#create",
                        "This operation MUST generate an error if it is not provided a path to the bundle and the container ID to associate with the container.",
                        run -> Expect.error(run.runtime().run("create", "--bundle", run.bundle("true", c -> { }).toString()),
                                "create without an id")),
                new SpecCase("create-config-changes-ignored", RUNTIME + "#create",
                        "Any changes made to the config.json file after this operation will not have an effect on the container.",
                        run -> {
                            Container c = run.create(run.bundle("echo original", config -> { }));
                            ObjectNode changed = (ObjectNode) Bundles.parse(Files.readString(c.bundle().resolve("config.json")));
                            ((ObjectNode) changed.get("process")).putArray("args").add("sh").add("-c").add("echo changed");
                            Files.writeString(c.bundle().resolve("config.json"), changed.toString());
                            c.start();
                            c.awaitStatus("stopped");
                            Expect.equal("original\n", c.stdout(), "what ran");
                        }),
                new SpecCase("create-error-leaves-nothing", RUNTIME + "#errors",
                        "Unless otherwise stated, generating an error MUST leave the state of the environment as if the operation were never attempted",
                        run -> {
                            Path bundle = run.bundle("true", config -> jrun.it.Configs.addMount(config, "/mnt", "bind",
                                    run.dir().resolve("no-such-source").toString(), "rbind"));
                            String id = run.newId();
                            Expect.error(run.tryCreate(bundle, id), "create with a missing bind source");
                            Expect.error(run.runtime().run("state", id), "state of the failed container");
                            Expect.equal("", run.runtime().run("list", "-q").stdout().strip(), "containers listed");
                            Expect.equal(List.of(), jrun.it.Leftovers.mountsUnder(bundle), "mounts left under the bundle");
                        }),
                new SpecCase("start-runs-program", RUNTIME + "#start",
                        "This operation MUST run the user-specified program as specified by process.",
                        run -> Expect.equal("hello from the container\n", run.inside("echo hello from the container"), "output")),
                new SpecCase("start-twice", RUNTIME + "#start",
                        "Attempting to start a container that is not created MUST have no effect on the container and MUST generate an error.",
                        run -> {
                            Container c = run.create(run.bundle("echo once; while true; do sleep 0.1; done", config -> { }));
                            c.start();
                            c.awaitOutput("once");
                            Expect.error(c.tryStart(), "start of a running container");
                            c.expectStatus("running", "after the second start");
                            Thread.sleep(200);
                            Expect.equal("once\n", c.stdout(), "output (the program ran once)");
                        }),
                new SpecCase("start-stopped", RUNTIME + "#start",
                        "Attempting to start a container that is not created MUST have no effect on the container and MUST generate an error.",
                        run -> {
                            Container c = run.create(run.bundle("echo once", config -> { }));
                            c.start();
                            c.awaitStatus("stopped");
                            Expect.error(c.tryStart(), "start of a stopped container");
                            c.expectStatus("stopped", "after start of a stopped container");
                            Expect.equal("once\n", c.stdout(), "output");
                        }),
                new SpecCase("start-unknown-id", RUNTIME + "#start",
                        "Attempting to start a container that is not created MUST have no effect on the container and MUST generate an error.",
                        run -> Expect.error(run.runtime().run("start", run.newId()), "start of an unknown id")),
                new SpecCase("start-without-process", RUNTIME + "#start",
                        "This operation MUST generate an error if `process` was not set.",
                        run -> {
                            Path bundle = run.bundle("true", config -> config.remove("process"));
                            String id = run.newId();
                            if (run.tryCreate(bundle, id).exit() == 0) {
                                Expect.error(run.runtime().run("start", id), "start of a container without process");
                            }
                        }),
                new SpecCase("kill-created", RUNTIME + "#kill",
                        "This operation MUST send the specified signal to the container process.",
                        run -> {
                            Container c = run.create(run.bundle("echo ran", config -> { }));
                            c.kill("KILL");
                            c.awaitStatus("stopped");
                            Expect.equal("", c.stdout(), "output of a container killed before start");
                        }),
                new SpecCase("kill-running-signal", RUNTIME + "#kill",
                        "This operation MUST send the specified signal to the container process.",
                        run -> {
                            Container c = run.create(run.bundle("trap 'echo got USR1; exit 0' USR1; echo ready; "
                                    + "while true; do sleep 0.1; done", config -> { }));
                            c.start();
                            c.awaitOutput("ready");
                            c.kill("USR1");
                            c.awaitStatus("stopped");
                            Expect.contains(c.stdout(), "got USR1", "the process's output");
                        }),
                new SpecCase("kill-stopped", RUNTIME + "#kill",
                        "Attempting to send a signal to a container that is neither created nor running MUST have no effect on the container and MUST generate an error.",
                        run -> {
                            Container c = run.create(run.bundle("true", config -> { }));
                            c.start();
                            c.awaitStatus("stopped");
                            Expect.error(c.tryKill("KILL"), "kill of a stopped container");
                            c.expectStatus("stopped", "after kill");
                        }),
                new SpecCase("delete-running", RUNTIME + "#delete",
                        "Attempting to `delete` a container that is not `stopped` MUST have no effect on the container and MUST generate an error.",
                        run -> {
                            Container c = run.create(run.bundle(WAIT, config -> { }));
                            c.start();
                            c.awaitOutput("running");
                            Expect.error(c.tryDelete(), "delete of a running container");
                            c.expectStatus("running", "after delete was refused");
                        }),
                new SpecCase("delete-created", RUNTIME + "#delete",
                        "Attempting to `delete` a container that is not `stopped` MUST have no effect on the container and MUST generate an error.",
                        run -> {
                            Container c = run.create(run.bundle("true", config -> { }));
                            Expect.error(c.tryDelete(), "delete of a created container");
                            c.expectStatus("created", "after delete was refused");
                        }),
                new SpecCase("delete-removes-container", RUNTIME + "#delete",
                        "Deleting a container MUST delete the resources that were created during the `create` step.",
                        run -> {
                            String cgroup = "/" + run.newId();
                            Container c = run.create(run.bundle("true", config -> ((ObjectNode) config.get("linux"))
                                    .put("cgroupsPath", cgroup)));
                            Path memory = Path.of("/sys/fs/cgroup/memory" + cgroup);
                            Expect.that(Files.isDirectory(memory), "create made no cgroup " + memory);
                            c.start();
                            c.awaitStatus("stopped");
                            c.delete();
                            Expect.error(run.runtime().run("state", c.id()), "state after delete");
                            Expect.that(!Files.exists(memory), "the cgroup " + memory + " is left after delete");
                            Expect.equal(List.of(), jrun.it.Leftovers.mountsUnder(c.bundle()), "mounts left under the bundle");
                        }),
                new SpecCase("delete-keeps-joined-namespace", RUNTIME + "#delete",
                        "Note that resources associated with the container, but not created by this container, MUST NOT be deleted.",
                        run -> {
                            String netns = run.newId();
                            Expect.ok(Jrun.exec(List.of("ip", "netns", "add", netns), null, 30), "ip netns add");
                            try {
                                String inode = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
                                run.inside("true", config -> jrun.it.Configs.namespace(config, "network", "/run/netns/" + netns));
                                Jrun.Result inNs = Jrun.exec(List.of("ip", "netns", "exec", netns, "readlink", "/proc/self/ns/net"), null, 30);
                                Expect.ok(inNs, "entering the joined network namespace after delete");
                                Expect.that(!inNs.stdout().strip().equals(inode), "the namespace is the host's");
                            } finally {
                                Jrun.exec(List.of("ip", "netns", "del", netns), null, 30);
                            }
                        }),
                new SpecCase("delete-no-id", RUNTIME + "#delete",
                        "This operation MUST generate an error if it is not provided the container ID.",
                        run -> Expect.error(run.runtime().run("delete"), "delete without an id")),
                new SpecCase("kill-no-id", RUNTIME + "#kill",
                        "This operation MUST generate an error if it is not provided the container ID.",
                        run -> Expect.error(run.runtime().run("kill"), "kill without an id")),
                new SpecCase("start-no-id", RUNTIME + "#start",
                        "This operation MUST generate an error if it is not provided the container ID.",
                        run -> Expect.error(run.runtime().run("start"), "start without an id")));
    }
}
