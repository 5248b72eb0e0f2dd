package jrun.linux;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import jrun.linux.lsm.LsmHost;

/**
 * What the kernel and system offer containers, learned by reading /proc and /sys only (no
 * system calls), so that {@code jrun check} can explain in advance why a bundle would fail here.
 * Every path is read below {@code root}, which tests point at a fake tree.
 */
public final class HostProbe {
    public enum CgroupMode {
        /** Only the unified hierarchy, mounted at /sys/fs/cgroup. */
        V2,
        /** Only per-controller v1 hierarchies. */
        V1,
        /** v1 controllers plus a unified hierarchy (usually /sys/fs/cgroup/unified) holding the rest. */
        HYBRID,
        /** No cgroup file system mounted. */
        NONE
    }

    /**
     * The cgroup hierarchies: v1 controllers by mount point, the v2 mount (or null) and the
     * controllers it offers.
     */
    public record Cgroups(CgroupMode mode, Map<String, String> v1Controllers, String v2Mount, Set<String> v2Controllers) {
        public Cgroups {
            v1Controllers = Collections.unmodifiableMap(new LinkedHashMap<>(v1Controllers));
            v2Controllers = Collections.unmodifiableSet(new LinkedHashSet<>(v2Controllers));
        }

        /** Where the controller is usable: "v1" or "v2" (v1 first, as runc prefers on hybrid hosts), or empty. */
        public Optional<String> hierarchyOf(String controller) {
            if (v1Controllers.containsKey(controller)) {
                return Optional.of("v1");
            }
            if (v2Controllers.contains(controller)) {
                return Optional.of("v2");
            }
            return Optional.empty();
        }
    }

    /** mountinfo of a host with thousands of mounts stays well below this. */
    private static final int MAX_PROC_FILE_BYTES = 4 << 20;

    private final Path root;

    public HostProbe(Path root) {
        this.root = root;
    }

    /** Which labelling LSMs this host runs, for the LSM planner. */
    public static LsmHost lsmHost() {
        HostProbe probe = system();
        return new LsmHost(probe.hasAppArmor(), probe.hasSeLinux(),
                Files.isDirectory(Path.of("/proc/self/attr/apparmor")));
    }

    /** The running system. */
    public static HostProbe system() {
        return new HostProbe(Path.of("/"));
    }

    /** A host path (absolute) below this probe's root. */
    Path host(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    /** The name of a runtime-spec namespace type in /proc/PID/ns ("network" is "net", ...). */
    public static String kernelNamespaceName(String specType) {
        return switch (specType) {
            case "network" -> "net";
            case "mount" -> "mnt";
            default -> specType;
        };
    }

    /** Whether the kernel has the namespace type: /proc/self/ns/NAME exists. */
    public boolean hasNamespace(String specType) {
        return Files.exists(host("/proc/self/ns/" + kernelNamespaceName(specType)));
    }

    public boolean exists(String absolutePath) {
        return Files.exists(host(absolutePath));
    }

    /** /proc/sys/user/max_user_namespaces, or empty when the file is missing or unreadable. */
    public OptionalLong maxUserNamespaces() {
        return read("/proc/sys/user/max_user_namespaces").map(String::strip).map(s -> {
            try {
                return OptionalLong.of(Long.parseLong(s));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }).orElse(OptionalLong.empty());
    }

    /** Whether time namespace clock offsets can be written: /proc/self/timens_offsets exists. */
    public boolean hasTimeNamespaceOffsets() {
        return Files.exists(host("/proc/self/timens_offsets"));
    }

    public Cgroups cgroups() {
        Map<String, String> v1 = new LinkedHashMap<>();
        String v2Mount = null;
        boolean v2AtRoot = false;
        Set<String> enabledV1 = enabledV1Controllers();
        for (String line : lines("/proc/self/mountinfo")) {
            MountEntry m = MountEntry.parse(line);
            if (m == null) {
                continue;
            }
            if (m.fsType().equals("cgroup2")) {
                if (m.mountPoint().equals("/sys/fs/cgroup")) {
                    v2AtRoot = true;
                    v2Mount = m.mountPoint();
                } else if (v2Mount == null) {
                    v2Mount = m.mountPoint();
                }
            } else if (m.fsType().equals("cgroup")) {
                for (String option : m.superOptions().split(",")) {
                    if (enabledV1.contains(option)) {
                        v1.putIfAbsent(option, m.mountPoint());
                    }
                }
            }
        }
        Set<String> v2Controllers = new LinkedHashSet<>();
        if (v2Mount != null) {
            read(v2Mount + "/cgroup.controllers").ifPresent(s -> {
                for (String c : s.strip().split("\\s+")) {
                    if (!c.isEmpty()) {
                        v2Controllers.add(c);
                    }
                }
            });
        }
        CgroupMode mode;
        if (v2AtRoot) {
            mode = CgroupMode.V2;
        } else if (!v1.isEmpty()) {
            mode = v2Mount != null ? CgroupMode.HYBRID : CgroupMode.V1;
        } else {
            mode = v2Mount != null ? CgroupMode.V2 : CgroupMode.NONE;
        }
        return new Cgroups(mode, v1, v2Mount, v2Controllers);
    }

    /** The v1 controllers the kernel has and has enabled (/proc/cgroups). */
    private Set<String> enabledV1Controllers() {
        Set<String> enabled = new LinkedHashSet<>();
        for (String line : lines("/proc/cgroups")) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[3].equals("1")) {
                enabled.add(f[0]);
            }
        }
        return enabled;
    }

    /** Whether the kernel was built with seccomp: /proc/self/status has a Seccomp field. */
    public boolean hasSeccomp() {
        for (String line : lines("/proc/self/status")) {
            if (line.startsWith("Seccomp:")) {
                return true;
            }
        }
        return false;
    }

    /** The filter return actions the kernel knows (/proc/sys/kernel/seccomp/actions_avail), e.g. "errno". */
    public Set<String> seccompActions() {
        Set<String> actions = new LinkedHashSet<>();
        read("/proc/sys/kernel/seccomp/actions_avail")
                .ifPresent(s -> actions.addAll(List.of(s.strip().split("\\s+"))));
        return actions;
    }

    /** Where libseccomp.so.2 is, searched in the usual library directories. */
    public Optional<Path> libseccomp() {
        String multiarch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64" -> "aarch64-linux-gnu";
            case "ppc64le" -> "powerpc64le-linux-gnu";
            case "s390x" -> "s390x-linux-gnu";
            case "riscv64" -> "riscv64-linux-gnu";
            default -> System.getProperty("os.arch") + "-linux-gnu";
        };
        List<String> dirs = List.of("/lib/" + multiarch, "/usr/lib/" + multiarch, "/lib64", "/usr/lib64",
                "/lib", "/usr/lib", "/usr/local/lib");
        for (String dir : dirs) {
            Path candidate = host(dir + "/libseccomp.so.2");
            if (Files.exists(candidate)) {
                return Optional.of(Path.of(dir, "libseccomp.so.2"));
            }
        }
        return Optional.empty();
    }

    /** The active LSMs from /sys/kernel/security/lsm, or empty when securityfs is not readable. */
    private Optional<Set<String>> activeLsms() {
        return read("/sys/kernel/security/lsm").map(s -> new LinkedHashSet<>(List.of(s.strip().split(","))));
    }

    /** AppArmor is enabled: the LSM list names it, or (without securityfs) its module says Y. */
    public boolean hasAppArmor() {
        Optional<Set<String>> lsms = activeLsms();
        if (lsms.isPresent()) {
            return lsms.get().contains("apparmor");
        }
        return read("/sys/module/apparmor/parameters/enabled").map(s -> s.strip().startsWith("Y")).orElse(false);
    }

    /** SELinux is enabled: the LSM list names it, or selinuxfs is mounted. */
    public boolean hasSeLinux() {
        Optional<Set<String>> lsms = activeLsms();
        if (lsms.isPresent()) {
            return lsms.get().contains("selinux");
        }
        for (String line : lines("/proc/self/mountinfo")) {
            MountEntry m = MountEntry.parse(line);
            if (m != null && m.fsType().equals("selinuxfs")) {
                return true;
            }
        }
        return Files.exists(host("/sys/fs/selinux/enforce"));
    }

    private Optional<String> read(String absolutePath) {
        // Not Files.readString: for a file whose size is 0, as /proc files report, it reads the first
        // byte alone, and integer sysctl files answer only the first read() ("96365" reads as "9").
        try (InputStream in = Files.newInputStream(host(absolutePath))) {
            return Optional.of(new String(in.readNBytes(MAX_PROC_FILE_BYTES), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private List<String> lines(String absolutePath) {
        return read(absolutePath).map(s -> List.of(s.split("\n"))).orElse(List.of());
    }

    /** One line of /proc/PID/mountinfo: the fields before and after the " - " separator that we use. */
    record MountEntry(String mountPoint, String fsType, String superOptions) {
        static MountEntry parse(String line) {
            // id parent major:minor root mount-point options [optional fields...] - fstype source super-options
            String[] f = line.split(" ");
            for (int dash = 6; dash + 1 < f.length; dash++) {
                if (f[dash].equals("-")) {
                    String superOptions = dash + 3 < f.length ? f[dash + 3] : "";
                    return new MountEntry(unescape(f[4]), f[dash + 1], superOptions);
                }
            }
            return null;
        }

        /** The kernel writes space, tab, newline and backslash in paths as \\ooo octal escapes. */
        static String unescape(String field) {
            if (field.indexOf('\\') < 0) {
                return field;
            }
            StringBuilder b = new StringBuilder(field.length());
            for (int i = 0; i < field.length(); i++) {
                char c = field.charAt(i);
                if (c == '\\' && isOctal(field, i + 1)) {
                    b.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                    i += 3;
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }

        private static boolean isOctal(String s, int from) {
            if (from + 3 > s.length()) {
                return false;
            }
            for (int i = from; i < from + 3; i++) {
                if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                    return false;
                }
            }
            return true;
        }
    }
}
