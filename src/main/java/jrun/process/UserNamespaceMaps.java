package jrun.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jrun.base.Environment;
import jrun.base.JrunException;
import jrun.linux.IdMapLines;
import jrun.rootless.RootlessMode;
import jrun.spec.IdMapping;
import jrun.spec.Linux;
import jrun.sys.Identity;

/**
 * Writes a new container user namespace's id maps, from the parent while the init waits, as
 * runc does. Root writes /proc/PID/uid_map and gid_map itself. An ordinary user may only map its
 * own id, alone, and only after denying setgroups for the gid map (the kernel's rule, so that
 * dropping a group cannot grant access): anything more goes through the setuid helpers
 * {@code newuidmap}/{@code newgidmap} (Debian's {@code uidmap}), which check /etc/subuid and
 * /etc/subgid.
 */
final class UserNamespaceMaps {
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private UserNamespaceMaps() {}

    static void write(int pid, Linux linux, RootlessMode rootless, Identity me) {
        Path proc = Path.of("/proc", Integer.toString(pid));
        if (!rootless.euid()) {
            ParentSetup.writeProcFile(proc.resolve("uid_map"), IdMapLines.of(linux.uidMappings()), "/linux/uidMappings");
            ParentSetup.writeProcFile(proc.resolve("gid_map"), IdMapLines.of(linux.gidMappings()), "/linux/gidMappings");
            return;
        }
        if (onlyOwn(linux.uidMappings(), me.uid())) {
            ParentSetup.writeProcFile(proc.resolve("uid_map"), IdMapLines.of(linux.uidMappings()), "/linux/uidMappings");
        } else {
            runHelper("newuidmap", pid, linux.uidMappings(), "/linux/uidMappings");
        }
        if (onlyOwn(linux.gidMappings(), me.gid())) {
            ParentSetup.writeProcFile(proc.resolve("setgroups"), "deny", "/linux/gidMappings");
            ParentSetup.writeProcFile(proc.resolve("gid_map"), IdMapLines.of(linux.gidMappings()), "/linux/gidMappings");
        } else {
            runHelper("newgidmap", pid, linux.gidMappings(), "/linux/gidMappings");
        }
    }

    /** The one mapping the kernel lets an ordinary user write itself: its own id, one id. */
    static boolean onlyOwn(List<IdMapping> mappings, long own) {
        return mappings.size() == 1 && mappings.get(0).hostID() == own && mappings.get(0).size() == 1;
    }

    /** {@code newuidmap PID inside outside count ...}, the helper's own words in the error. */
    static List<String> helperArgv(String helper, int pid, List<IdMapping> mappings) {
        List<String> argv = new ArrayList<>();
        argv.add(helper);
        argv.add(Integer.toString(pid));
        for (IdMapping m : mappings) {
            argv.add(Long.toString(m.containerID()));
            argv.add(Long.toString(m.hostID()));
            argv.add(Long.toString(m.size()));
        }
        return argv;
    }

    private static void runHelper(String name, int pid, List<IdMapping> mappings, String pointer) {
        String path = find(name);
        if (path == null) {
            throw new JrunException("config.json: " + pointer + ": mapping more than your own id needs " + name
                    + ", which is not installed (Debian's uidmap package) or not in PATH");
        }
        List<String> argv = helperArgv(path, pid, mappings);
        String output;
        int status;
        try {
            java.lang.Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(new File("/dev/null")).start();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            status = p.waitFor();
        } catch (IOException e) {
            throw new JrunException("config.json: " + pointer + ": cannot run " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JrunException("config.json: " + pointer + ": interrupted waiting for " + path, e);
        }
        if (status != 0) {
            throw new JrunException("config.json: " + pointer + ": " + String.join(" ", argv) + " failed (exit status "
                    + status + ")" + (output.isEmpty() ? "" : ": " + output));
        }
    }

    private static String find(String name) {
        String path = Environment.get("PATH");
        for (String dir : (path == null || path.isEmpty() ? DEFAULT_PATH : path).split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
