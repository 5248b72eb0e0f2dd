package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A config without a mount namespace: the spec says the container then inherits the runtime's.
 * jrun sets the rootfs up in it and chroots; runc does the same but leaves every mount behind
 * on the host (and refuses masked and read-only paths: "unable to restrict sys entries without a
 * private MNT namespace"). jrun's delete, and a failed create, leave nothing mounted.
 */
class RuntimeMountNamespaceIT extends SandboxedIT {
    private Path bundle(List<String> args) {
        return sandbox.bundle(args, c -> Configs.withoutNamespace(c, "mount"));
    }

    @Test
    void theProcessSeesItsRootfsAndProcInTheRuntimesMountNamespaceAndNothingStaysMounted() throws Exception {
        Path bundle = bundle(List.of("sh", "-c",
                "readlink /proc/self/ns/mnt; ls /; grep -c . /proc/1/status >/dev/null && echo proc; "
                        + "cat /proc/timer_list 2>/dev/null | wc -c; touch /x 2>/dev/null || echo read-only"));
        Jrun.Result r = sandbox.jrun().run("run", "-b", bundle.toString(), Sandbox.uniqueId("nomnt")).ok();
        List<String> lines = r.stdout().lines().toList();
        assertEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString(), lines.get(0),
                "the runtime's mount namespace");
        assertEquals(List.of("bin", "dev", "etc", "proc", "root", "sys", "tmp"), lines.subList(1, 8), "its rootfs");
        assertTrue(lines.contains("proc"), "/proc mounted: " + r.stdout());
        assertEquals("0", lines.get(lines.size() - 2), "a masked path shows nothing: " + r.stdout());
        assertEquals("read-only", lines.get(lines.size() - 1), "the root is read-only: " + r.stdout());
        assertEquals(List.of(), mountPointsUnder(bundle), "run deleted the container and its mounts");
    }

    @Test
    void createMountsUnderTheRootfsOnlyAndDeleteUnmountsAll() {
        Path bundle = bundle(List.of("sleep", "60"));
        String id = Sandbox.uniqueId("nomnt");
        sandbox.jrun().run("create", "-b", bundle.toString(), id).ok();
        List<String> mounted = mountPointsUnder(bundle);
        assertTrue(mounted.contains(bundle.resolve("rootfs").toString()), mounted.toString());
        assertTrue(mounted.contains(bundle.resolve("rootfs/proc").toString()), mounted.toString());
        assertEquals("ok\n", sandbox.jrun().run("exec", id, "sh", "-c", "test -e /proc/1/status && echo ok").ok().stdout());
        sandbox.jrun().run("delete", "--force", id).ok();
        assertEquals(List.of(), mountPointsUnder(bundle), "delete unmounted what create mounted");
    }

    @Test
    void aFailedCreateLeavesNothingMounted() {
        Path bundle = sandbox.bundle(List.of("true"), c -> {
            Configs.withoutNamespace(c, "mount");
            Configs.addMount(c, "/mnt", "nosuchfs", "none");
        });
        Jrun.Result r = sandbox.jrun().run("create", "-b", bundle.toString(), Sandbox.uniqueId("nomnt"));
        assertEquals(1, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("mount nosuchfs at /mnt"), r.stderr());
        assertEquals(List.of(), mountPointsUnder(bundle));
        assertTrue(sandbox.jrun().run("list", "-q").stdout().isBlank(), "no state left");
    }

    /**
     * Where the rootfs's parent mount is shared, the rootfs bind reaches its peers (as any mount
     * made there would), but nothing jrun mounts beneath it does, and delete takes the bind
     * away from the peers too. The test's own directory is made a shared mount, and a peer of
     * it is looked at from a second mount namespace.
     */
    @Test
    void underASharedParentOnlyTheRootfsBindReachesItsPeersUntilDelete() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        host("mount", "--bind", shared.toString(), shared.toString());
        try {
            host("mount", "--make-shared", shared.toString());
            Path bundle = Bundles.create(shared.resolve("b"), List.of("sleep", "60"),
                    c -> Configs.withoutNamespace(c, "mount"));
            Path seen = tmp.resolve("peer-view");
            // A second mount namespace whose copy of the shared mount is its peer; it reports
            // what it sees under the bundle when asked (a file appearing), twice.
            Path ask = tmp.resolve("ask");
            ProcessBuilder pb = new ProcessBuilder("unshare", "-m", "--propagation", "unchanged", "sh", "-c",
                    "for n in 1 2; do while [ ! -e " + ask + "$n ]; do sleep 0.05; done; "
                            + "awk -v p=" + bundle + " 'index($5, p) == 1 {print $5}' /proc/self/mountinfo > " + seen + "$n.tmp; "
                            + "mv " + seen + "$n.tmp " + seen + "$n; done");
            Process peer = pb.start();
            try {
                List<String> parentBefore = mountLinesAt(shared);
                assertTrue(parentBefore.size() == 1 && parentBefore.get(0).contains(" shared:"), parentBefore.toString());
                String id = Sandbox.uniqueId("nomnt-shared");
                sandbox.jrun().run("create", "-b", bundle.toString(), id).ok();
                assertTrue(mountPointsUnder(bundle).size() > 5, "the container's mounts, here");
                // runc, without a mount namespace, turns the runtime's shared / private
                assertEquals(parentBefore, mountLinesAt(shared), "the parent mount is still shared, as it was");
                assertEquals(List.of(bundle.resolve("rootfs").toString()), peerView(ask, seen, 1),
                        "the peer gets the rootfs bind and nothing mounted beneath it");
                sandbox.jrun().run("delete", "--force", id).ok();
                assertEquals(List.of(), mountPointsUnder(bundle));
                assertEquals(List.of(), peerView(ask, seen, 2), "delete's unmount reached the peer");
            } finally {
                peer.destroyForcibly().waitFor();
            }
        } finally {
            host("umount", "-l", shared.toString());
        }
    }

    private static List<String> peerView(Path ask, Path seen, int n) throws Exception {
        Files.createFile(Path.of(ask + Integer.toString(n)));
        Path answer = Path.of(seen + Integer.toString(n));
        for (int i = 0; i < 200 && !Files.exists(answer); i++) {
            Thread.sleep(50);
        }
        return Files.readAllLines(answer);
    }

    /** This namespace's mountinfo lines whose mount point is {@code dir}. */
    private static List<String> mountLinesAt(Path dir) {
        return Leftovers.mountsUnder(dir).stream().filter(l -> l.split(" ")[4].equals(dir.toString())).toList();
    }

    /** The mount points (mountinfo's fifth field) of this namespace under {@code dir}. */
    private static List<String> mountPointsUnder(Path dir) {
        return Leftovers.mountsUnder(dir).stream().map(l -> l.split(" ")[4]).filter(m -> m.startsWith(dir.toString()))
                .toList();
    }

    private static void host(String... cmd) {
        Jrun.Result r = Jrun.exec(List.of(cmd), null, 30);
        assertEquals(0, r.exit(), String.join(" ", cmd) + ": " + r.stderr());
    }
}
