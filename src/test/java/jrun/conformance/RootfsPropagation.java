package jrun.conformance;

import java.nio.file.Path;
import java.util.List;
import jrun.it.Bundles;

/**
 * config-linux.md#rootfs-mount-propagation: the bundle lives in a shared host mount, so that
 * each of the four values shows in the container's mountinfo for "/": a new peer group
 * (shared), the host's peer group as master (slave, which then receives the host's mounts),
 * nothing (private), unbindable.
 */
final class RootfsPropagation {
    private RootfsPropagation() {}

    static void check(CaseRun run, String value) throws Exception {
        Path shared = SharedHostDir.make(run, "shared-host-dir");
        String hostGroup = SharedHostDir.peerGroup(shared);
        Path bundle = Bundles.create(shared.resolve("bundle"), List.of("sh", "-c",
                "cat /proc/self/mountinfo; echo ready; while [ ! -e /mnt/marker ]; do sleep 0.1; done; echo saw-host-mount; "
                + "while true; do sleep 0.1; done"),
                config -> {
                    jrun.it.Configs.linux(config).put("rootfsPropagation", value);
                    ((tools.jackson.databind.node.ObjectNode) config.get("root")).put("readonly", false);
                });
        Container c = run.create(bundle);
        c.start();
        c.awaitOutput("ready");
        MountInfo root = MountInfo.top(c.stdout(), "/");
        List<String> tags = root.optionalFields();
        switch (value) {
            case "shared" -> {
                Expect.that(tags.stream().anyMatch(t -> t.startsWith("shared:")), "/ is not shared: " + tags);
                Expect.that(!tags.contains("shared:" + hostGroup), "/ is in the host's peer group " + hostGroup + ": " + tags);
            }
            case "slave" -> {
                Expect.that(tags.contains("master:" + hostGroup), "/ is not a slave of the host's peer group " + hostGroup + ": " + tags);
                SharedHostDir.mountWithMarker(bundle.resolve("rootfs/mnt"));
                c.awaitOutput("saw-host-mount");
            }
            case "private" -> Expect.equal(List.of(), tags, "propagation tags of /");
            case "unbindable" -> Expect.equal(List.of("unbindable"), tags, "propagation tags of /");
            default -> throw new IllegalArgumentException(value);
        }
        c.kill("KILL");
        c.awaitStatus("stopped");
        c.delete();
    }
}
