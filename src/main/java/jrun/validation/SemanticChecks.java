package jrun.validation;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import jrun.base.Log;
import jrun.base.Version;
import jrun.json.JsonValue;
import jrun.linux.Capabilities;
import jrun.linux.MountOptionRules;

/**
 * The rules of runtime-spec v1.2 (and runc's, where a container would otherwise fail late or
 * touch the host) that the JSON schema cannot state: duplicates, fields that need a namespace,
 * fields that need each other. Every check tolerates values of the wrong type, which the schema
 * reports, so that one run reports everything.
 */
final class SemanticChecks {
    static final String FILE = "config.json";

    private static final Pattern MAJOR_VERSION = Pattern.compile("^(\\d+)\\.");
    /** sysctl(8) keys: words separated by dots or slashes (a slash stands for a dot in a name). */
    private static final Pattern SYSCTL_KEY = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_\\-:@+]*([./][A-Za-z0-9_\\-:@+]+)*$");
    /** System V IPC sysctls, which belong to the ipc namespace (besides fs.mqueue.*). */
    private static final Set<String> IPC_SYSCTLS = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
            "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");
    private static final Set<String> TIME_NAMESPACE_CLOCKS = Set.of("monotonic", "boottime");
    private static final Set<String> ERRNO_ACTIONS = Set.of("SCMP_ACT_ERRNO", "SCMP_ACT_TRACE");
    private static final String NOTIFY = "SCMP_ACT_NOTIFY";

    /** In a holder: only a number past 64 bits needs them (BigInteger's initialiser is slow interpreted). */
    private static final class Bounds {
        static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    }

    record Result(List<Problem> problems, List<Problem> warnings) {}

    private final List<Problem> problems = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();
    /** Namespace type → its path, or "" for a new namespace. */
    private final Map<String, String> namespaces = new HashMap<>();
    /**
     * False when linux or linux.namespaces has the wrong type: then which namespaces the
     * container gets is unknown, and rules that depend on it would only add noise.
     */
    private boolean namespacesKnown = true;

    private SemanticChecks() {}

    static Result check(JsonValue config) {
        SemanticChecks c = new SemanticChecks();
        if (config.isObject()) {
            c.run(config);
        }
        return new Result(c.problems, c.warnings);
    }

    private void run(JsonValue config) {
        integerRanges(config, "");
        JsonValue linux = config.path("linux");
        ociVersion(config.path("ociVersion"));
        namespaces(linux);
        process(config.path("process"));
        mounts(config.path("mounts"));
        annotations(config.path("annotations"));
        needsNamespace(config.path("hostname"), "/hostname", "uts", "setting a hostname");
        needsNamespace(config.path("domainname"), "/domainname", "uts", "setting a domain name");
        idMappings(linux);
        timeOffsets(linux.path("timeOffsets"));
        devices(linux.path("devices"));
        sysctl(linux.path("sysctl"));
        seccomp(linux.path("seccomp"));
        cgroupsPath(linux.path("cgroupsPath"));
        resources(linux.path("resources"));
    }

    /**
     * No number in a runtime config is wider than 64 bits; the schema's uint64 has no maximum
     * (see defs.json), so the bound is enforced here for every integer of the document.
     */
    private void integerRanges(JsonValue node, String pointer) {
        if (node.isContainer()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    integerRanges(node.get(i), pointer + "/" + i);
                }
            } else {
                for (var member : node.properties()) {
                    integerRanges(member.getValue(), Problem.pointer(pointer, member.getKey()));
                }
            }
        } else if (node.isBigInteger()) {
            BigInteger v = node.bigIntegerValue();
            if (v.compareTo(Bounds.UINT64_MAX) > 0 || v.compareTo(Bounds.INT64_MIN) < 0) {
                problem(pointer, v + " is out of range for every integer field (the widest are uint64, up to "
                        + Bounds.UINT64_MAX + ", and int64, down to " + Bounds.INT64_MIN + ")");
            }
        }
    }

    private void problem(String pointer, String message) {
        problems.add(new Problem(FILE, pointer, message));
    }

    private void ociVersion(JsonValue version) {
        if (!version.isString()) {
            return;
        }
        var m = MAJOR_VERSION.matcher(version.stringValue());
        if (m.find() && !m.group(1).equals("1")) {
            problem("/ociVersion", quote(version) + " is a version of runtime-spec " + m.group(1)
                    + ".x; jrun runs bundles of runtime-spec 1.x (it implements " + Version.SPEC_VERSION + ")");
        }
    }

    private void namespaces(JsonValue linux) {
        JsonValue list = linux.path("namespaces");
        namespacesKnown = (linux.isMissingNode() || linux.isObject()) && (list.isMissingNode() || list.isArray());
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonValue ns = list.path(i);
            JsonValue type = ns.path("type");
            if (!type.isString()) {
                continue;
            }
            String pointer = "/linux/namespaces/" + i + "/type";
            Integer first = firstIndex.putIfAbsent(type.stringValue(), i);
            if (first != null) {
                problem(pointer, quote(type) + " is listed twice (first at /linux/namespaces/" + first + ")");
                continue;
            }
            namespaces.put(type.stringValue(), ns.path("path").asString(""));
        }
    }

    /** True also when the namespaces are unknown, so that no rule fires on a guess. */
    private boolean hasNamespace(String type) {
        return !namespacesKnown || namespaces.containsKey(type);
    }

    private static String addNamespace(String type) {
        return "add {\"type\": \"" + type + "\"} to linux.namespaces";
    }

    private void needsNamespace(JsonValue value, String pointer, String type, String what) {
        if (value.isString() && !value.stringValue().isEmpty() && !hasNamespace(type)) {
            problem(pointer, what + " needs a " + type + " namespace of the container's own; " + addNamespace(type));
        }
    }

    private void process(JsonValue process) {
        if (!process.isObject()) {
            return;
        }
        JsonValue args = process.path("args");
        if (args.isMissingNode() || args.isNull()) {
            problem("/process/args", "is required but missing: it names the program to run");
        } else if (args.isArray() && args.isEmpty()) {
            problem("/process/args", "must not be empty: its first entry names the program to run");
        }
        JsonValue env = process.path("env");
        for (int i = 0; i < env.size(); i++) {
            JsonValue entry = env.path(i);
            if (entry.isString()) {
                String text = entry.stringValue();
                int eq = text.indexOf('=');
                if (eq < 0) {
                    problem("/process/env/" + i, quote(entry) + " is not of the form NAME=value");
                } else if (eq == 0) {
                    problem("/process/env/" + i, quote(entry) + " has an empty variable name");
                } else if (text.indexOf('\0') >= 0) {
                    problem("/process/env/" + i, quote(entry) + " contains a NUL character");
                }
            }
        }
        rlimits(process.path("rlimits"));
        capabilities(process.path("capabilities"));
    }

    /**
     * The runtime-spec: a capability that "cannot be mapped to a relevant kernel interface ...
     * MUST be logged as a warning", and runtimes "SHOULD NOT fail" for it (runc warns too); the
     * planner leaves it out of the sets.
     */
    private void capabilities(JsonValue capabilities) {
        for (String set : List.of("bounding", "effective", "permitted", "inheritable", "ambient")) {
            JsonValue names = capabilities.path(set);
            for (int i = 0; i < names.size(); i++) {
                JsonValue name = names.path(i);
                if (name.isString() && Capabilities.number(name.stringValue()) < 0) {
                    warnings.add(new Problem(FILE, "/process/capabilities/" + set + "/" + i,
                            "unknown capability " + quote(name) + ", not granted"));
                }
            }
        }
    }

    private void rlimits(JsonValue rlimits) {
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < rlimits.size(); i++) {
            JsonValue rlimit = rlimits.path(i);
            String pointer = "/process/rlimits/" + i;
            JsonValue type = rlimit.path("type");
            if (type.isString()) {
                Integer first = firstIndex.putIfAbsent(type.stringValue(), i);
                if (first != null) {
                    problem(pointer + "/type", quote(type) + " is listed twice (first at /process/rlimits/" + first + ")");
                }
            }
            BigInteger soft = unsigned(rlimit.path("soft"));
            BigInteger hard = unsigned(rlimit.path("hard"));
            if (soft != null && hard != null && soft.compareTo(hard) > 0) {
                problem(pointer + "/soft", soft + " is above the hard limit " + hard);
            }
        }
    }

    private void mounts(JsonValue mounts) {
        for (int i = 0; i < mounts.size(); i++) {
            JsonValue mount = mounts.path(i);
            String pointer = "/mounts/" + i;
            JsonValue destination = mount.path("destination");
            if (destination.isString() && !destination.stringValue().isEmpty()
                    && !destination.stringValue().startsWith("/")) {
                warnings.add(new Problem(FILE, pointer + "/destination", quote(destination)
                        + " is a relative path; runtime-spec deprecates those and jrun takes it as relative to /"));
            }
            boolean uids = mount.has("uidMappings");
            boolean gids = mount.has("gidMappings");
            if (uids != gids) {
                problem(pointer + (uids ? "/gidMappings" : "/uidMappings"), "is required when "
                        + (uids ? "uidMappings" : "gidMappings") + " is given: an idmapped mount needs both");
            } else {
                // one problem per mount: its options are judged once its maps are whole
                mountOptions(mount, pointer, uids);
            }
        }
    }

    /** The planner's rules (MountOptionRules), so that check lists what create would refuse. */
    private void mountOptions(JsonValue mount, String pointer, boolean hasIdMappings) {
        JsonValue options = mount.path("options");
        JsonValue type = mount.path("type");
        if (!options.isArray() || (!type.isString() && !type.isMissingNode())) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            if (!options.path(i).isString()) {
                return; // the schema's problem
            }
            names.add(options.path(i).stringValue());
        }
        MountOptionRules.Problem p = MountOptionRules.check(pointer, type.isString() ? type.stringValue() : null,
                names, hasIdMappings);
        if (p != null) {
            problem(p.pointer(), p.message());
        }
    }

    private void annotations(JsonValue annotations) {
        if (annotations.isObject() && annotations.has("")) {
            problem("/annotations/", "an annotation key must not be empty");
        }
    }

    private void idMappings(JsonValue linux) {
        for (String field : List.of("uidMappings", "gidMappings")) {
            JsonValue mappings = linux.path(field);
            if (mappings.isArray() && !mappings.isEmpty() && !hasNamespace("user")) {
                problem("/linux/" + field, "is given but the container has no user namespace; " + addNamespace("user"));
            }
        }
    }

    private void timeOffsets(JsonValue offsets) {
        if (!offsets.isObject() || offsets.isEmpty()) {
            return;
        }
        if (!hasNamespace("time")) {
            problem("/linux/timeOffsets", "is given but the container has no time namespace; " + addNamespace("time"));
        } else if (!namespaces.getOrDefault("time", "").isEmpty()) {
            problem("/linux/timeOffsets", "can only be set on a new time namespace, not on one joined by path");
        }
        for (String clock : offsets.propertyNames()) {
            if (!TIME_NAMESPACE_CLOCKS.contains(clock)) {
                problem(Problem.pointer("/linux/timeOffsets", clock), Log.quote(clock)
                        + " is not a clock a time namespace can offset (monotonic, boottime)");
            }
        }
    }

    private void devices(JsonValue devices) {
        for (int i = 0; i < devices.size(); i++) {
            JsonValue device = devices.path(i);
            JsonValue type = device.path("type");
            if (!type.isString() || type.stringValue().equals("p")) {
                continue; // a FIFO has no device numbers
            }
            for (String number : List.of("major", "minor")) {
                if (!device.has(number)) {
                    problem("/linux/devices/" + i + "/" + number, "is required for a device of type " + type.stringValue());
                }
            }
        }
    }

    private void sysctl(JsonValue sysctl) {
        if (!sysctl.isObject()) {
            return;
        }
        for (String key : sysctl.propertyNames()) {
            String pointer = Problem.pointer("/linux/sysctl", key);
            if (!SYSCTL_KEY.matcher(key).matches()) {
                problem(pointer, Log.quote(key) + " is not a sysctl name such as net.ipv4.ip_forward");
                continue;
            }
            String dotted = dottedSysctl(key);
            String namespace;
            if (IPC_SYSCTLS.contains(dotted) || dotted.startsWith("fs.mqueue.")) {
                namespace = "ipc";
            } else if (dotted.startsWith("net.")) {
                namespace = "network";
            } else if (dotted.equals("kernel.domainname")) {
                namespace = "uts";
            } else if (dotted.equals("kernel.hostname")) {
                problem(pointer, "set the hostname with the hostname field, not with sysctl");
                continue;
            } else {
                problem(pointer, Log.quote(key) + " is not isolated by any namespace: setting it would change the host");
                continue;
            }
            if (!hasNamespace(namespace)) {
                problem(pointer, Log.quote(key) + " belongs to the " + namespace + " namespace, and the container has "
                        + "none of its own, so setting it would change the host; " + addNamespace(namespace));
            }
        }
    }

    /**
     * The key in dotted form. sysctl(8) also accepts slashes as separators, and then a dot is
     * part of a name (net/ipv4/conf/eth0.100/forwarding is net.ipv4.conf.eth0/100.forwarding).
     */
    static String dottedSysctl(String key) {
        int dot = key.indexOf('.');
        int slash = key.indexOf('/');
        if (slash < 0 || (dot >= 0 && dot < slash)) {
            return key;
        }
        StringBuilder b = new StringBuilder(key.length());
        for (char c : key.toCharArray()) {
            b.append(c == '/' ? '.' : c == '.' ? '/' : c);
        }
        return b.toString();
    }

    private void seccomp(JsonValue seccomp) {
        if (!seccomp.isObject()) {
            return;
        }
        boolean hasListener = seccomp.path("listenerPath").isString() && !seccomp.path("listenerPath").stringValue().isEmpty();
        String defaultAction = seccomp.path("defaultAction").asString("");
        if (defaultAction.equals(NOTIFY)) {
            problem("/linux/seccomp/defaultAction", "SCMP_ACT_NOTIFY cannot be the default action: the container "
                    + "could not even make the system calls that reach the listener; use it in syscalls entries");
        }
        errnoRet(seccomp.path("defaultErrnoRet"), defaultAction, "/linux/seccomp/defaultErrnoRet", "defaultAction");
        if (seccomp.has("listenerMetadata") && !hasListener) {
            problem("/linux/seccomp/listenerMetadata", "is only allowed together with listenerPath");
        }
        JsonValue syscalls = seccomp.path("syscalls");
        for (int i = 0; i < syscalls.size(); i++) {
            JsonValue rule = syscalls.path(i);
            String pointer = "/linux/seccomp/syscalls/" + i;
            String action = rule.path("action").asString("");
            if (action.equals(NOTIFY) && !hasListener) {
                problem(pointer + "/action", "SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath, the socket of the "
                        + "agent that answers the notifications");
            }
            errnoRet(rule.path("errnoRet"), action, pointer + "/errnoRet", "action");
        }
    }

    private void errnoRet(JsonValue errno, String action, String pointer, String actionField) {
        if (!errno.isMissingNode() && !action.isEmpty() && !ERRNO_ACTIONS.contains(action)) {
            problem(pointer, "is only meaningful with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, and " + actionField
                    + " is " + action);
        }
    }

    private void cgroupsPath(JsonValue path) {
        if (path.isString() && List.of(path.stringValue().split("/")).contains("..")) {
            problem("/linux/cgroupsPath", quote(path) + " must not contain .. (it would leave the cgroup hierarchy)");
        }
    }

    private void resources(JsonValue resources) {
        if (!resources.isObject()) {
            return;
        }
        JsonValue cpu = resources.path("cpu");
        BigInteger quota = integer(cpu.path("quota"));
        BigInteger burst = integer(cpu.path("burst"));
        if (quota != null && burst != null && quota.signum() > 0 && burst.compareTo(quota) > 0) {
            problem("/linux/resources/cpu/burst", burst + " is larger than quota " + quota);
        }
        JsonValue memory = resources.path("memory");
        BigInteger limit = integer(memory.path("limit"));
        BigInteger swap = integer(memory.path("swap"));
        if (limit != null && swap != null && limit.signum() > 0 && swap.signum() > 0 && swap.compareTo(limit) < 0) {
            problem("/linux/resources/memory/swap", swap + " is below the memory limit " + limit
                    + " (swap is the limit of memory and swap together)");
        }
        JsonValue weights = resources.path("blockIO").path("weightDevice");
        for (int i = 0; i < weights.size(); i++) {
            JsonValue entry = weights.path(i);
            if (entry.isObject() && !entry.has("weight") && !entry.has("leafWeight")) {
                problem("/linux/resources/blockIO/weightDevice/" + i, "needs weight or leafWeight (or both)");
            }
        }
        JsonValue rdma = resources.path("rdma");
        if (rdma.isObject()) {
            for (var device : rdma.properties()) {
                JsonValue entry = device.getValue();
                if (entry.isObject() && !entry.has("hcaHandles") && !entry.has("hcaObjects")) {
                    problem(Problem.pointer("/linux/resources/rdma", device.getKey()), "needs hcaHandles or hcaObjects (or both)");
                }
            }
        }
        JsonValue unified = resources.path("unified");
        if (unified.isObject()) {
            for (String file : unified.propertyNames()) {
                if (file.isEmpty() || file.contains("/") || file.equals(".") || file.equals("..")) {
                    problem(Problem.pointer("/linux/resources/unified", file), Log.quote(file)
                            + " is not a cgroup interface file name such as memory.max");
                }
            }
        }
    }

    private static BigInteger integer(JsonValue n) {
        return n.isIntegralNumber() ? n.bigIntegerValue() : null;
    }

    private static BigInteger unsigned(JsonValue n) {
        BigInteger v = integer(n);
        return v != null && v.signum() >= 0 ? v : null;
    }

    private static String quote(JsonValue text) {
        return Log.quote(text.asString());
    }
}
