package jrun.spec;

import static jrun.spec.JsonFields.INT32;
import static jrun.spec.JsonFields.INT64;
import static jrun.spec.JsonFields.STRING;
import static jrun.spec.JsonFields.UINT16;
import static jrun.spec.JsonFields.UINT32;
import static jrun.spec.JsonFields.UINT64;
import static jrun.spec.JsonFields.objects;

import java.util.function.Function;
import jrun.base.JrunException;
import jrun.json.JsonValue;

/**
 * Maps a config.json tree onto the {@link Spec} records by hand, field by field: databind's
 * reflection would cost every container start-up time. The tree is normally schema-validated
 * first, but the reader does not rely on it: a value of the wrong JSON type or out of its Go
 * type's range fails with a {@link JrunException} naming its JSON pointer, e.g.
 * {@code config.json: /process/args/0: expected a string, found 5}. Fields the model does not
 * know are kept in each record's {@code extra}.
 */
public final class SpecReader {
    private SpecReader() {}

    /** Reads a config.json tree; errors are prefixed with {@code config.json}. */
    public static Spec read(JsonValue tree) {
        return read(tree, "config.json");
    }

    /** Reads a config tree; {@code source} names it in error messages. */
    public static Spec read(JsonValue tree, String source) {
        return readRoot(tree, source, SpecReader::spec);
    }

    /** Reads a process on its own, as in {@code exec --process process.json}. */
    public static ProcessSpec readProcess(JsonValue tree, String source) {
        return readRoot(tree, source, SpecReader::process);
    }

    /** Reads {@code hooks} on its own, as jrun saves them for start and delete. */
    public static Hooks readHooks(JsonValue tree, String source) {
        return readRoot(tree, source, SpecReader::hooks);
    }

    /** Reads {@code linux.resources} on its own, as in {@code update --resources resources.json}. */
    public static Resources readResources(JsonValue tree, String source) {
        return readRoot(tree, source, SpecReader::resources);
    }

    private static <T> T readRoot(JsonValue tree, String source, Function<JsonFields, T> mapper) {
        if (tree == null || tree.isMissingNode()) {
            throw new JrunException(source + ": empty document, expected a JSON object");
        }
        try {
            return mapper.apply(JsonFields.of(tree, ""));
        } catch (JsonFields.Mismatch e) {
            String where = e.pointer.isEmpty() ? "" : e.pointer + ": ";
            throw new JrunException(source + ": " + where + e.getMessage());
        }
    }

    private static Spec spec(JsonFields f) {
        return new Spec(f.string("ociVersion"), f.object("process", SpecReader::process),
                f.object("root", SpecReader::root), f.string("hostname"), f.string("domainname"),
                f.list("mounts", objects(SpecReader::mount)), f.object("hooks", SpecReader::hooks),
                f.stringMap("annotations"), f.object("linux", SpecReader::linux), f.extra());
    }

    private static ProcessSpec process(JsonFields f) {
        return new ProcessSpec(f.bool("terminal"), f.object("consoleSize", SpecReader::consoleSize),
                f.object("user", SpecReader::user), f.strings("args"), f.string("commandLine"), f.strings("env"),
                f.string("cwd"), f.object("capabilities", SpecReader::capabilities),
                f.list("rlimits", objects(SpecReader::rlimit)), f.bool("noNewPrivileges"),
                f.string("apparmorProfile"), f.optionalNumber("oomScoreAdj", INT64),
                f.object("scheduler", SpecReader::scheduler), f.string("selinuxLabel"),
                f.object("ioPriority", SpecReader::ioPriority), f.object("execCPUAffinity", SpecReader::cpuAffinity),
                f.extra());
    }

    private static ProcessSpec.ConsoleSize consoleSize(JsonFields f) {
        return new ProcessSpec.ConsoleSize(f.number("height", UINT64), f.number("width", UINT64), f.extra());
    }

    private static ProcessSpec.User user(JsonFields f) {
        return new ProcessSpec.User(f.number("uid", UINT32), f.number("gid", UINT32), f.optionalNumber("umask", UINT32),
                f.list("additionalGids", UINT32), f.string("username"), f.extra());
    }

    private static ProcessSpec.Capabilities capabilities(JsonFields f) {
        return new ProcessSpec.Capabilities(f.strings("bounding"), f.strings("effective"), f.strings("inheritable"),
                f.strings("permitted"), f.strings("ambient"), f.extra());
    }

    private static ProcessSpec.Rlimit rlimit(JsonFields f) {
        return new ProcessSpec.Rlimit(f.string("type"), f.number("hard", UINT64), f.number("soft", UINT64), f.extra());
    }

    private static ProcessSpec.Scheduler scheduler(JsonFields f) {
        return new ProcessSpec.Scheduler(f.string("policy"), f.number("nice", INT32), f.number("priority", INT32),
                f.strings("flags"), f.number("runtime", UINT64), f.number("deadline", UINT64),
                f.number("period", UINT64), f.extra());
    }

    private static ProcessSpec.IoPriority ioPriority(JsonFields f) {
        return new ProcessSpec.IoPriority(f.string("class"), f.number("priority", INT64), f.extra());
    }

    private static ProcessSpec.CpuAffinity cpuAffinity(JsonFields f) {
        return new ProcessSpec.CpuAffinity(f.string("initial"), f.string("final"), f.extra());
    }

    private static Root root(JsonFields f) {
        return new Root(f.string("path"), f.bool("readonly"), f.extra());
    }

    private static Mount mount(JsonFields f) {
        return new Mount(f.string("destination"), f.string("type"), f.string("source"), f.strings("options"),
                f.list("uidMappings", objects(SpecReader::idMapping)),
                f.list("gidMappings", objects(SpecReader::idMapping)), f.extra());
    }

    private static IdMapping idMapping(JsonFields f) {
        return new IdMapping(f.number("containerID", UINT32), f.number("hostID", UINT32), f.number("size", UINT32),
                f.extra());
    }

    private static Hooks hooks(JsonFields f) {
        var hook = objects(SpecReader::hook);
        return new Hooks(f.list("prestart", hook), f.list("createRuntime", hook), f.list("createContainer", hook),
                f.list("startContainer", hook), f.list("poststart", hook), f.list("poststop", hook), f.extra());
    }

    private static Hook hook(JsonFields f) {
        return new Hook(f.string("path"), f.strings("args"), f.strings("env"), f.optionalNumber("timeout", INT64),
                f.extra());
    }

    private static Linux linux(JsonFields f) {
        return new Linux(f.list("uidMappings", objects(SpecReader::idMapping)),
                f.list("gidMappings", objects(SpecReader::idMapping)), f.stringMap("sysctl"),
                f.object("resources", SpecReader::resources), f.string("cgroupsPath"),
                f.list("namespaces", objects(SpecReader::namespace)), f.list("devices", objects(SpecReader::device)),
                f.map("netDevices", objects(SpecReader::netDevice)), f.object("seccomp", SpecReader::seccomp),
                f.string("rootfsPropagation"), f.strings("maskedPaths"), f.strings("readonlyPaths"),
                f.string("mountLabel"), f.object("intelRdt", SpecReader::intelRdt),
                f.object("memoryPolicy", SpecReader::memoryPolicy), f.object("personality", SpecReader::personality),
                f.map("timeOffsets", objects(SpecReader::timeOffset)), f.extra());
    }

    private static Linux.Namespace namespace(JsonFields f) {
        return new Linux.Namespace(f.string("type"), f.string("path"), f.extra());
    }

    private static Linux.Device device(JsonFields f) {
        return new Linux.Device(f.string("path"), f.string("type"), f.number("major", INT64),
                f.number("minor", INT64), f.optionalNumber("fileMode", UINT32), f.optionalNumber("uid", UINT32),
                f.optionalNumber("gid", UINT32), f.extra());
    }

    private static Linux.NetDevice netDevice(JsonFields f) {
        return new Linux.NetDevice(f.string("name"), f.extra());
    }

    private static Linux.TimeOffset timeOffset(JsonFields f) {
        return new Linux.TimeOffset(f.number("secs", INT64), f.number("nanosecs", UINT32), f.extra());
    }

    private static Linux.IntelRdt intelRdt(JsonFields f) {
        return new Linux.IntelRdt(f.string("closID"), f.strings("schemata"), f.string("l3CacheSchema"),
                f.string("memBwSchema"), f.bool("enableCMT"), f.bool("enableMBM"), f.bool("enableMonitoring"),
                f.extra());
    }

    private static Linux.MemoryPolicy memoryPolicy(JsonFields f) {
        return new Linux.MemoryPolicy(f.string("mode"), f.string("nodes"), f.strings("flags"), f.extra());
    }

    private static Linux.Personality personality(JsonFields f) {
        return new Linux.Personality(f.string("domain"), f.strings("flags"), f.extra());
    }

    private static Resources resources(JsonFields f) {
        return new Resources(f.list("devices", objects(SpecReader::deviceRule)),
                f.object("memory", SpecReader::memory), f.object("cpu", SpecReader::cpu),
                f.object("pids", SpecReader::pids), f.object("blockIO", SpecReader::blockIo),
                f.list("hugepageLimits", objects(SpecReader::hugepageLimit)), f.object("network", SpecReader::network),
                f.map("rdma", objects(SpecReader::rdma)), f.stringMap("unified"), f.extra());
    }

    private static Resources.DeviceRule deviceRule(JsonFields f) {
        return new Resources.DeviceRule(f.bool("allow"), f.string("type"), f.optionalNumber("major", INT64),
                f.optionalNumber("minor", INT64), f.string("access"), f.extra());
    }

    private static Resources.Memory memory(JsonFields f) {
        return new Resources.Memory(f.optionalNumber("limit", INT64), f.optionalNumber("reservation", INT64),
                f.optionalNumber("swap", INT64), f.optionalNumber("kernel", INT64),
                f.optionalNumber("kernelTCP", INT64), f.optionalNumber("swappiness", UINT64),
                f.optionalBool("disableOOMKiller"), f.optionalBool("useHierarchy"),
                f.optionalBool("checkBeforeUpdate"), f.extra());
    }

    private static Resources.Cpu cpu(JsonFields f) {
        return new Resources.Cpu(f.optionalNumber("shares", UINT64), f.optionalNumber("quota", INT64),
                f.optionalNumber("burst", UINT64), f.optionalNumber("period", UINT64),
                f.optionalNumber("realtimeRuntime", INT64), f.optionalNumber("realtimePeriod", UINT64),
                f.string("cpus"), f.string("mems"), f.optionalNumber("idle", INT64), f.extra());
    }

    private static Resources.Pids pids(JsonFields f) {
        return new Resources.Pids(f.optionalNumber("limit", INT64), f.extra());
    }

    private static Resources.BlockIo blockIo(JsonFields f) {
        var throttle = objects(SpecReader::throttleDevice);
        return new Resources.BlockIo(f.optionalNumber("weight", UINT16), f.optionalNumber("leafWeight", UINT16),
                f.list("weightDevice", objects(SpecReader::weightDevice)), f.list("throttleReadBpsDevice", throttle),
                f.list("throttleWriteBpsDevice", throttle), f.list("throttleReadIOPSDevice", throttle),
                f.list("throttleWriteIOPSDevice", throttle), f.extra());
    }

    private static Resources.WeightDevice weightDevice(JsonFields f) {
        return new Resources.WeightDevice(f.number("major", INT64), f.number("minor", INT64),
                f.optionalNumber("weight", UINT16), f.optionalNumber("leafWeight", UINT16), f.extra());
    }

    private static Resources.ThrottleDevice throttleDevice(JsonFields f) {
        return new Resources.ThrottleDevice(f.number("major", INT64), f.number("minor", INT64),
                f.number("rate", UINT64), f.extra());
    }

    private static Resources.HugepageLimit hugepageLimit(JsonFields f) {
        return new Resources.HugepageLimit(f.string("pageSize"), f.number("limit", UINT64), f.extra());
    }

    private static Resources.Network network(JsonFields f) {
        return new Resources.Network(f.optionalNumber("classID", UINT32),
                f.list("priorities", objects(SpecReader::interfacePriority)), f.extra());
    }

    private static Resources.InterfacePriority interfacePriority(JsonFields f) {
        return new Resources.InterfacePriority(f.string("name"), f.number("priority", UINT32), f.extra());
    }

    private static Resources.Rdma rdma(JsonFields f) {
        return new Resources.Rdma(f.optionalNumber("hcaHandles", UINT32), f.optionalNumber("hcaObjects", UINT32),
                f.extra());
    }

    private static Seccomp seccomp(JsonFields f) {
        return new Seccomp(f.string("defaultAction"), f.optionalNumber("defaultErrnoRet", UINT64),
                f.strings("architectures"), f.strings("flags"), f.string("listenerPath"),
                f.string("listenerMetadata"), f.list("syscalls", objects(SpecReader::syscall)), f.extra());
    }

    private static Seccomp.Syscall syscall(JsonFields f) {
        return new Seccomp.Syscall(f.list("names", STRING), f.string("action"),
                f.optionalNumber("errnoRet", UINT64), f.list("args", objects(SpecReader::syscallArg)), f.extra());
    }

    private static Seccomp.Arg syscallArg(JsonFields f) {
        return new Seccomp.Arg(f.number("index", UINT64), f.number("value", UINT64), f.number("valueTwo", UINT64),
                f.string("op"), f.extra());
    }
}
