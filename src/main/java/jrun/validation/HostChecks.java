package jrun.validation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import jrun.base.Log;
import jrun.json.JsonValue;
import jrun.linux.HostProbe;

/**
 * Compares what a config asks for with what a {@link HostProbe} finds: namespaces, user
 * namespace limits, cgroup controllers, seccomp, LSMs and the root filesystem. Produces one
 * {@link HostCheck} per item so that a failing {@code create} can be explained before it happens.
 */
public final class HostChecks {
    private static final Set<String> NAMESPACE_TYPES =
            Set.of("pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time");

    private final HostProbe probe;
    private final List<HostCheck> results = new ArrayList<>();

    private HostChecks(HostProbe probe) {
        this.probe = probe;
    }

    /** Checks {@code config} (a parsed config.json, valid or not) of the bundle at {@code bundle}. */
    public static List<HostCheck> run(JsonValue config, Path bundle, HostProbe probe) {
        HostChecks c = new HostChecks(probe);
        c.rootfs(config.path("root").path("path"), bundle);
        JsonValue linux = config.path("linux");
        c.namespaces(linux);
        c.cgroups(linux.path("resources"));
        c.seccomp(linux.path("seccomp"));
        c.appArmor(config.path("process").path("apparmorProfile"));
        c.seLinux(config.path("process").path("selinuxLabel"), linux.path("mountLabel"));
        return List.copyOf(c.results);
    }

    private void ok(String item, String detail) {
        results.add(HostCheck.ok(item, detail));
    }

    private void fail(String item, String detail) {
        results.add(HostCheck.fail(item, detail));
    }

    private void rootfs(JsonValue path, Path bundle) {
        if (!path.isString() || path.stringValue().isEmpty()) {
            fail("rootfs", "root.path is not set, so there is no root filesystem");
            return;
        }
        Path rootfs = bundle.resolve(path.stringValue());
        if (Files.isDirectory(rootfs)) {
            ok("rootfs", rootfs + " is a directory");
        } else if (Files.exists(rootfs)) {
            fail("rootfs", rootfs + " is not a directory");
        } else {
            fail("rootfs", rootfs + " does not exist");
        }
    }

    private void namespaces(JsonValue linux) {
        Map<String, String> requested = new LinkedHashMap<>();
        JsonValue list = linux.path("namespaces");
        for (JsonValue ns : list) {
            String type = ns.path("type").asString("");
            if (NAMESPACE_TYPES.contains(type)) {
                requested.putIfAbsent(type, ns.path("path").asString(""));
            }
        }
        for (var e : requested.entrySet()) {
            String type = e.getKey();
            String joinPath = e.getValue();
            String procFile = "/proc/self/ns/" + HostProbe.kernelNamespaceName(type);
            String item = "namespace " + type;
            if (!probe.hasNamespace(type)) {
                fail(item, "the kernel has no " + type + " namespaces (" + procFile + " is missing)");
            } else if (!joinPath.isEmpty()) {
                if (probe.exists(joinPath)) {
                    ok(item, "joins " + joinPath);
                } else {
                    fail(item, "the namespace to join, " + joinPath + ", does not exist");
                }
            } else {
                ok(item, "supported (" + procFile + ")");
            }
        }
        if (requested.containsKey("user") && requested.get("user").isEmpty()) {
            OptionalLong max = probe.maxUserNamespaces();
            if (max.isEmpty()) {
                fail("user namespaces", "cannot read /proc/sys/user/max_user_namespaces");
            } else if (max.getAsLong() <= 0) {
                fail("user namespaces", "creating them is disabled: /proc/sys/user/max_user_namespaces is "
                        + max.getAsLong());
            } else {
                ok("user namespaces", "up to " + max.getAsLong() + " may be created (/proc/sys/user/max_user_namespaces)");
            }
        }
        JsonValue offsets = linux.path("timeOffsets");
        if (offsets.isObject() && !offsets.isEmpty()) {
            if (probe.hasTimeNamespaceOffsets()) {
                ok("time namespace offsets", "supported (/proc/self/timens_offsets)");
            } else {
                fail("time namespace offsets", "linux.timeOffsets is set, but the kernel cannot offset clocks "
                        + "(/proc/self/timens_offsets is missing; time namespaces need Linux 5.6)");
            }
        }
    }

    private void cgroups(JsonValue resources) {
        HostProbe.Cgroups cg = probe.cgroups();
        switch (cg.mode()) {
            case NONE -> fail("cgroups", "no cgroup file system is mounted (see /proc/self/mountinfo)");
            case V2 -> ok("cgroups", "v2 (unified) at " + cg.v2Mount() + ", controllers: " + list(cg.v2Controllers()));
            case V1 -> ok("cgroups", "v1, controllers: " + list(cg.v1Controllers().keySet()));
            case HYBRID -> ok("cgroups", "hybrid: v1 controllers " + list(cg.v1Controllers().keySet())
                    + "; v2 at " + cg.v2Mount() + " with " + list(cg.v2Controllers()));
        }
        if (!resources.isObject()) {
            return;
        }
        Map<String, String> needed = neededControllers(resources);
        for (var e : needed.entrySet()) {
            String controller = e.getKey();
            String item = "cgroup controller " + controller;
            String why = "needed by " + e.getValue();
            if (controller.equals("devices") && cg.mode() == HostProbe.CgroupMode.V2) {
                ok(item, "cgroup v2 filters devices with eBPF (" + why + ")");
                continue;
            }
            Optional<String> where = cg.hierarchyOf(controller);
            if (controller.equals("blkio") && where.isEmpty() && cg.v2Controllers().contains("io")) {
                where = Optional.of("v2 (as io)");
            }
            if (where.isPresent()) {
                String at = where.get().equals("v1") ? "v1, " + cg.v1Controllers().get(controller) : where.get() + ", " + cg.v2Mount();
                ok(item, "available (" + at + "); " + why);
            } else {
                fail(item, why + ", but this host has no " + controller + " controller mounted or enabled");
            }
        }
        JsonValue unified = resources.path("unified");
        if (unified.isObject() && !unified.isEmpty()) {
            if (cg.v2Mount() == null) {
                fail("cgroup v2", "linux.resources.unified sets cgroup v2 files, but this host has no cgroup v2 hierarchy");
            } else {
                for (String file : unified.propertyNames()) {
                    int dot = file.indexOf('.');
                    String controller = dot > 0 ? file.substring(0, dot) : file;
                    if (controller.equals("cgroup") || cg.v2Controllers().contains(controller)) {
                        ok("cgroup v2 file " + file, "controller " + controller + " is available at " + cg.v2Mount());
                    } else {
                        fail("cgroup v2 file " + file, "controller " + controller + " is not available in the v2 hierarchy at "
                                + cg.v2Mount() + " (it offers " + list(cg.v2Controllers()) + ")");
                    }
                }
            }
        }
    }

    /** Controller name → the config field that needs it, in the order of the spec. */
    private static Map<String, String> neededControllers(JsonValue r) {
        Map<String, String> needed = new LinkedHashMap<>();
        if (!r.path("devices").isEmpty()) {
            needed.put("devices", "linux.resources.devices");
        }
        if (!r.path("memory").isEmpty()) {
            needed.put("memory", "linux.resources.memory");
        }
        JsonValue cpu = r.path("cpu");
        for (String field : List.of("shares", "quota", "burst", "period", "realtimeRuntime", "realtimePeriod", "idle")) {
            if (cpu.has(field)) {
                needed.putIfAbsent("cpu", "linux.resources.cpu." + field);
            }
        }
        for (String field : List.of("cpus", "mems")) {
            if (!cpu.path(field).asString("").isEmpty()) {
                needed.putIfAbsent("cpuset", "linux.resources.cpu." + field);
            }
        }
        if (r.has("pids")) {
            needed.put("pids", "linux.resources.pids");
        }
        if (!r.path("blockIO").isEmpty()) {
            needed.put("blkio", "linux.resources.blockIO");
        }
        if (!r.path("hugepageLimits").isEmpty()) {
            needed.put("hugetlb", "linux.resources.hugepageLimits");
        }
        if (r.path("network").has("classID")) {
            needed.put("net_cls", "linux.resources.network.classID");
        }
        if (!r.path("network").path("priorities").isEmpty()) {
            needed.put("net_prio", "linux.resources.network.priorities");
        }
        if (!r.path("rdma").isEmpty()) {
            needed.put("rdma", "linux.resources.rdma");
        }
        return needed;
    }

    private void seccomp(JsonValue seccomp) {
        boolean kernel = probe.hasSeccomp();
        if (!seccomp.isObject()) {
            ok("seccomp", "not requested (the kernel " + (kernel ? "supports" : "does not support") + " it)");
            return;
        }
        if (!kernel) {
            fail("seccomp", "linux.seccomp is set, but the kernel has no seccomp support (no Seccomp field in /proc/self/status)");
            return;
        }
        ok("seccomp", "supported by the kernel");
        Set<String> available = probe.seccompActions();
        if (!available.isEmpty()) {
            Set<String> requested = new LinkedHashSet<>();
            requested.add(seccomp.path("defaultAction").asString(""));
            for (JsonValue rule : seccomp.path("syscalls")) {
                requested.add(rule.path("action").asString(""));
            }
            for (String action : requested) {
                String kernelName = kernelSeccompAction(action);
                if (kernelName == null) {
                    continue;
                }
                if (available.contains(kernelName)) {
                    ok("seccomp action " + action, "the kernel supports " + kernelName);
                } else {
                    fail("seccomp action " + action, "the kernel lacks the " + kernelName
                            + " action (/proc/sys/kernel/seccomp/actions_avail: " + String.join(" ", available) + ")");
                }
            }
        }
        Optional<Path> lib = probe.libseccomp();
        if (lib.isPresent()) {
            ok("libseccomp", "found " + lib.get());
        } else {
            fail("libseccomp", "linux.seccomp is set, but libseccomp.so.2 is not installed (e.g. apt-get install libseccomp2)");
        }
    }

    /** The name /proc/sys/kernel/seccomp/actions_avail uses for a runtime-spec action. */
    private static String kernelSeccompAction(String action) {
        return switch (action) {
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> "kill_thread";
            case "SCMP_ACT_KILL_PROCESS" -> "kill_process";
            case "SCMP_ACT_TRAP" -> "trap";
            case "SCMP_ACT_ERRNO" -> "errno";
            case "SCMP_ACT_TRACE" -> "trace";
            case "SCMP_ACT_ALLOW" -> "allow";
            case "SCMP_ACT_LOG" -> "log";
            case "SCMP_ACT_NOTIFY" -> "user_notif";
            default -> null;
        };
    }

    private void appArmor(JsonValue profile) {
        boolean present = probe.hasAppArmor();
        String profileName = profile.asString("");
        if (profileName.isEmpty()) {
            ok("apparmor", "no profile requested (AppArmor is " + (present ? "enabled" : "not enabled") + " on this host)");
        } else if (present) {
            ok("apparmor", "profile " + Log.quote(profileName) + " requested and AppArmor is enabled");
        } else {
            fail("apparmor", "process.apparmorProfile asks for profile " + Log.quote(profileName)
                    + ", but AppArmor is not enabled on this host");
        }
    }

    private void seLinux(JsonValue processLabel, JsonValue mountLabel) {
        boolean present = probe.hasSeLinux();
        List<String> asked = new ArrayList<>();
        if (!processLabel.asString("").isEmpty()) {
            asked.add("process.selinuxLabel");
        }
        if (!mountLabel.asString("").isEmpty()) {
            asked.add("linux.mountLabel");
        }
        if (asked.isEmpty()) {
            ok("selinux", "no label requested (SELinux is " + (present ? "enabled" : "not enabled") + " on this host)");
        } else if (present) {
            ok("selinux", String.join(" and ", asked) + " requested and SELinux is enabled");
        } else {
            fail("selinux", String.join(" and ", asked) + " " + (asked.size() == 1 ? "asks" : "ask")
                    + " for an SELinux label, but SELinux is not enabled on this host");
        }
    }

    private static String list(Iterable<String> items) {
        String joined = String.join(", ", items);
        return joined.isEmpty() ? "none" : joined;
    }
}
