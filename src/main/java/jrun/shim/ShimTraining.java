package jrun.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jrun.ttrpc.Fields;
import jrun.ttrpc.ProtoWriter;
import jrun.ttrpc.RpcException;
import jrun.ttrpc.TtrpcClient;

/**
 * The AOT training workload of bin/containerd-shim-jrun-v2 (bin/aot-training runs it with
 * JRUN_AOT_TRAINING set, which the launcher turns into the cache output): a shim's start, and
 * a container's life through the serving shim as containerd drives it (create, start, state,
 * an exec, pids, stats, kill, wait, delete), then Shutdown, on whose exit the serving JVM
 * writes its cache. Arguments: jrun's home and a scratch directory.
 */
public final class ShimTraining {
    private static final String TASK = TaskService.NAME;

    private ShimTraining() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Path scratch = Path.of(args[1]);
        Path bundle = Files.createDirectories(scratch.resolve("shim-bundle"));
        String config = Files.readString(home.resolve("bundles/busybox/config.json"))
                .replace("\"path\": \"rootfs\"", "\"path\": \"" + home.resolve("bundles/busybox/rootfs") + "\"")
                .replaceFirst("\"args\": \\[[^\\]]*\\]", "\"args\": [\"sleep\", \"30\"]");
        Files.writeString(bundle.resolve("config.json"), config);
        String namespace = "jrun-aot-training";
        String id = "jrun-aot-training-shim-" + ProcessHandle.current().pid();
        Process start = new ProcessBuilder(List.of(home.resolve("bin/containerd-shim-jrun-v2").toString(),
                "-namespace", namespace, "-address", scratch.resolve("containerd.sock").toString(), "-id", id, "start"))
                .directory(bundle.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        // The address comes from the bundle's address file, which start writes before printing.
        String output = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (start.waitFor() != 0 || !Files.exists(bundle.resolve("address"))) {
            throw new IllegalStateException("shim start failed: " + output);
        }
        String address = Files.readString(bundle.resolve("address")).trim();
        Path socket = Path.of(address.substring("unix://".length()));
        long shimPid = 0;
        try (TtrpcClient c = TtrpcClient.connect(socket)) {
            byte[] byId = new ProtoWriter().string(1, id).toByteArray();
            shimPid = Fields.parse(c.call(TASK, "Connect", byId)).uint(1);
            try {
                c.call(TASK, "Create", new ProtoWriter().string(1, id).string(2, bundle.toString()).toByteArray());
                c.call(TASK, "State", byId);
                c.call(TASK, "Start", byId);
                c.call(TASK, "Exec", new ProtoWriter().string(1, id).string(2, "e1").any(7,
                        "types.containerd.io/opencontainers/runtime-spec/1/Process",
                        "{\"args\":[\"true\"],\"cwd\":\"/\",\"env\":[\"PATH=/bin\"]}".getBytes(StandardCharsets.UTF_8))
                        .toByteArray());
                byte[] exec = new ProtoWriter().string(1, id).string(2, "e1").toByteArray();
                c.call(TASK, "Start", exec);
                c.call(TASK, "Wait", exec);
                c.call(TASK, "Delete", exec);
                c.call(TASK, "Pids", byId);
                c.call(TASK, "Stats", byId);
                c.call(TASK, "Kill", new ProtoWriter().string(1, id).uint(3, 9).toByteArray());
                c.call(TASK, "Wait", byId);
            } catch (RpcException e) {
                System.err.println("shim training: " + e.getMessage());
            } finally {
                c.call(TASK, "Delete", byId);
                c.call(TASK, "Shutdown", byId);
            }
        } catch (RpcException | IOException e) {
            System.err.println("shim training: " + e.getMessage());
        }
        // The serving shim writes its cache as it exits.
        ProcessHandle shim = ProcessHandle.of(shimPid).orElse(null);
        for (int i = 0; i < 900 && shim != null && shim.isAlive(); i++) {
            Thread.sleep(100);
        }
        if (shim != null && shim.isAlive()) {
            shim.destroyForcibly(); // a training that went wrong must leave no shim serving
            System.err.println("shim training: the shim did not exit; killed");
        }
        try {
            Files.deleteIfExists(ShimMain.ROOT.resolve(namespace));
        } catch (IOException e) {
            System.err.println("shim training: " + e.getMessage()); // a container left: the log says which
        }
    }
}
