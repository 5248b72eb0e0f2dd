package jrun.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jrun.it.Jrun;

/**
 * Host mounts a case needs as the source of a container's mounts: a directory bind-mounted on
 * itself and made shared (so propagation to the container can be seen), a directory with a
 * tmpfs under it (so recursion can be seen). All under the case's directory, which
 * {@link CaseRun#cleanUp()} unmounts.
 */
final class SharedHostDir {
    private SharedHostDir() {}

    /** {@code name} under the case's directory, a shared mount of its own. */
    static Path make(CaseRun run, String name) throws IOException {
        Path dir = Files.createDirectories(run.dir().resolve(name));
        mount("--bind", dir.toString(), dir.toString());
        mount("--make-shared", dir.toString());
        return dir;
    }

    /** {@code name} under the case's directory with a tmpfs mounted on its subdirectory {@code sub}. */
    static Path withSubmount(CaseRun run, String name) throws IOException {
        Path dir = Files.createDirectories(run.dir().resolve(name).resolve("sub")).getParent();
        mount("-t", "tmpfs", "sub", dir.resolve("sub").toString());
        return dir;
    }

    /** Mounts a tmpfs at {@code dir} (created) with a file named marker in it. */
    static void mountWithMarker(Path dir) throws IOException {
        Files.createDirectories(dir);
        mount("-t", "tmpfs", "later", dir.toString());
        Files.writeString(dir.resolve("marker"), "");
    }

    /** The peer group of the host's mount at {@code dir} (mountinfo's shared:N), or "" when it has none. */
    static String peerGroup(Path dir) throws IOException {
        MountInfo m = MountInfo.top(Files.readString(Path.of("/proc/self/mountinfo")), dir.toString());
        return m.optionalFields().stream().filter(o -> o.startsWith("shared:")).map(o -> o.substring(7)).findFirst().orElse("");
    }

    private static void mount(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("mount"));
        cmd.addAll(List.of(args));
        Expect.ok(Jrun.exec(cmd, null, 30), String.join(" ", cmd));
    }
}
