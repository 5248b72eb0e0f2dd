package jrun.spec;

import jrun.json.JsonValue;
import jrun.json.JsonWriter;

/**
 * Writes {@link Spec} records back to JSON by hand, in the Go types' field order and with their
 * {@code omitempty} rules, followed by each record's unknown {@code extra} fields. Reading the
 * output again gives an equal {@link Spec}.
 */
public final class SpecWriter {
    private SpecWriter() {}

    public static JsonValue toTree(Spec s) {
        return new JsonOut()
                .string("ociVersion", s.ociVersion())
                .object("process", s.process(), SpecWriter::toTree)
                .object("root", s.root(), SpecWriter::root)
                .string("hostname", s.hostname())
                .string("domainname", s.domainname())
                .list("mounts", s.mounts(), SpecWriter::mount)
                .object("hooks", s.hooks(), SpecWriter::hooks)
                .stringMap("annotations", s.annotations())
                .object("linux", s.linux(), SpecWriter::linux)
                .end(s.extra());
    }

    /** A process on its own, as in an exec process.json. */
    public static JsonValue toTree(ProcessSpec p) {
        return new JsonOut()
                .boolOmitFalse("terminal", p.terminal())
                .object("consoleSize", p.consoleSize(), SpecWriter::consoleSize)
                .object("user", p.user(), SpecWriter::user)
                .strings("args", p.args())
                .string("commandLine", p.commandLine())
                .strings("env", p.env())
                .string("cwd", p.cwd())
                .object("capabilities", p.capabilities(), SpecWriter::capabilities)
                .list("rlimits", p.rlimits(), SpecWriter::rlimit)
                .boolOmitFalse("noNewPrivileges", p.noNewPrivileges())
                .string("apparmorProfile", p.apparmorProfile())
                .signed("oomScoreAdj", p.oomScoreAdj())
                .object("scheduler", p.scheduler(), SpecWriter::scheduler)
                .string("selinuxLabel", p.selinuxLabel())
                .object("ioPriority", p.ioPriority(), SpecWriter::ioPriority)
                .object("execCPUAffinity", p.execCPUAffinity(), SpecWriter::cpuAffinity)
                .end(p.extra());
    }

    /** The config as runc writes it: tab-indented, {@code "key": value}, no trailing newline. */
    public static String toJson(Spec spec) {
        return pretty(toTree(spec));
    }

    /** Any tree in the same layout as {@link #toJson(Spec)}: Go's {@code json.MarshalIndent(v, "", "\t")}. */
    public static String pretty(JsonValue tree) {
        return JsonWriter.indented("\t").value(tree).toString();
    }

    private static JsonValue consoleSize(ProcessSpec.ConsoleSize c) {
        return new JsonOut().unsigned("height", c.height()).unsigned("width", c.width()).end(c.extra());
    }

    private static JsonValue user(ProcessSpec.User u) {
        return new JsonOut()
                .unsigned("uid", u.uid())
                .unsigned("gid", u.gid())
                .unsigned("umask", u.umask())
                .list("additionalGids", u.additionalGids(), JsonValue::number)
                .string("username", u.username())
                .end(u.extra());
    }

    private static JsonValue capabilities(ProcessSpec.Capabilities c) {
        return new JsonOut()
                .strings("bounding", c.bounding())
                .strings("effective", c.effective())
                .strings("inheritable", c.inheritable())
                .strings("permitted", c.permitted())
                .strings("ambient", c.ambient())
                .end(c.extra());
    }

    private static JsonValue rlimit(ProcessSpec.Rlimit r) {
        return new JsonOut().string("type", r.type()).unsigned("hard", r.hard()).unsigned("soft", r.soft())
                .end(r.extra());
    }

    private static JsonValue scheduler(ProcessSpec.Scheduler s) {
        return new JsonOut()
                .string("policy", s.policy())
                .signedOmitZero("nice", s.nice())
                .signedOmitZero("priority", s.priority())
                .strings("flags", s.flags())
                .unsignedOmitZero("runtime", s.runtime())
                .unsignedOmitZero("deadline", s.deadline())
                .unsignedOmitZero("period", s.period())
                .end(s.extra());
    }

    private static JsonValue ioPriority(ProcessSpec.IoPriority p) {
        return new JsonOut().string("class", p.ioClass()).signed("priority", p.priority()).end(p.extra());
    }

    private static JsonValue cpuAffinity(ProcessSpec.CpuAffinity a) {
        return new JsonOut().string("initial", a.initialCpus()).string("final", a.finalCpus()).end(a.extra());
    }

    private static JsonValue root(Root r) {
        return new JsonOut().string("path", r.path()).boolOmitFalse("readonly", r.readonly()).end(r.extra());
    }

    private static JsonValue mount(Mount m) {
        return new JsonOut()
                .string("destination", m.destination())
                .string("type", m.type())
                .string("source", m.source())
                .strings("options", m.options())
                .list("uidMappings", m.uidMappings(), SpecWriter::idMapping)
                .list("gidMappings", m.gidMappings(), SpecWriter::idMapping)
                .end(m.extra());
    }

    private static JsonValue idMapping(IdMapping m) {
        return new JsonOut()
                .unsigned("containerID", m.containerID())
                .unsigned("hostID", m.hostID())
                .unsigned("size", m.size())
                .end(m.extra());
    }

    private static JsonValue hooks(Hooks h) {
        return new JsonOut()
                .list("prestart", h.prestart(), SpecWriter::hook)
                .list("createRuntime", h.createRuntime(), SpecWriter::hook)
                .list("createContainer", h.createContainer(), SpecWriter::hook)
                .list("startContainer", h.startContainer(), SpecWriter::hook)
                .list("poststart", h.poststart(), SpecWriter::hook)
                .list("poststop", h.poststop(), SpecWriter::hook)
                .end(h.extra());
    }

    private static JsonValue hook(Hook h) {
        return new JsonOut()
                .string("path", h.path())
                .strings("args", h.args())
                .strings("env", h.env())
                .signed("timeout", h.timeout())
                .end(h.extra());
    }

    private static JsonValue linux(Linux l) {
        return new JsonOut()
                .list("uidMappings", l.uidMappings(), SpecWriter::idMapping)
                .list("gidMappings", l.gidMappings(), SpecWriter::idMapping)
                .stringMap("sysctl", l.sysctl())
                .object("resources", l.resources(), SpecWriter::resources)
                .string("cgroupsPath", l.cgroupsPath())
                .list("namespaces", l.namespaces(), SpecWriter::namespace)
                .list("devices", l.devices(), SpecWriter::device)
                .map("netDevices", l.netDevices(), SpecWriter::netDevice)
                .object("seccomp", l.seccomp(), SpecWriter::seccomp)
                .string("rootfsPropagation", l.rootfsPropagation())
                .strings("maskedPaths", l.maskedPaths())
                .strings("readonlyPaths", l.readonlyPaths())
                .string("mountLabel", l.mountLabel())
                .object("intelRdt", l.intelRdt(), SpecWriter::intelRdt)
                .object("memoryPolicy", l.memoryPolicy(), SpecWriter::memoryPolicy)
                .object("personality", l.personality(), SpecWriter::personality)
                .map("timeOffsets", l.timeOffsets(), SpecWriter::timeOffset)
                .end(l.extra());
    }

    private static JsonValue namespace(Linux.Namespace n) {
        return new JsonOut().string("type", n.type()).string("path", n.path()).end(n.extra());
    }

    private static JsonValue device(Linux.Device d) {
        return new JsonOut()
                .string("path", d.path())
                .string("type", d.type())
                .signed("major", d.major())
                .signed("minor", d.minor())
                .unsigned("fileMode", d.fileMode())
                .unsigned("uid", d.uid())
                .unsigned("gid", d.gid())
                .end(d.extra());
    }

    private static JsonValue netDevice(Linux.NetDevice d) {
        return new JsonOut().string("name", d.name()).end(d.extra());
    }

    private static JsonValue timeOffset(Linux.TimeOffset t) {
        return new JsonOut().signedOmitZero("secs", t.secs()).unsignedOmitZero("nanosecs", t.nanosecs())
                .end(t.extra());
    }

    private static JsonValue intelRdt(Linux.IntelRdt r) {
        return new JsonOut()
                .string("closID", r.closID())
                .strings("schemata", r.schemata())
                .string("l3CacheSchema", r.l3CacheSchema())
                .string("memBwSchema", r.memBwSchema())
                .boolOmitFalse("enableCMT", r.enableCMT())
                .boolOmitFalse("enableMBM", r.enableMBM())
                .boolOmitFalse("enableMonitoring", r.enableMonitoring())
                .end(r.extra());
    }

    private static JsonValue memoryPolicy(Linux.MemoryPolicy m) {
        return new JsonOut().string("mode", m.mode()).string("nodes", m.nodes()).strings("flags", m.flags())
                .end(m.extra());
    }

    private static JsonValue personality(Linux.Personality p) {
        return new JsonOut().string("domain", p.domain()).strings("flags", p.flags()).end(p.extra());
    }

    private static JsonValue resources(Resources r) {
        return new JsonOut()
                .list("devices", r.devices(), SpecWriter::deviceRule)
                .object("memory", r.memory(), SpecWriter::memory)
                .object("cpu", r.cpu(), SpecWriter::cpu)
                .object("pids", r.pids(), SpecWriter::pids)
                .object("blockIO", r.blockIO(), SpecWriter::blockIo)
                .list("hugepageLimits", r.hugepageLimits(), SpecWriter::hugepageLimit)
                .object("network", r.network(), SpecWriter::network)
                .map("rdma", r.rdma(), SpecWriter::rdma)
                .stringMap("unified", r.unified())
                .end(r.extra());
    }

    private static JsonValue deviceRule(Resources.DeviceRule d) {
        return new JsonOut()
                .bool("allow", d.allow())
                .string("type", d.type())
                .signed("major", d.major())
                .signed("minor", d.minor())
                .string("access", d.access())
                .end(d.extra());
    }

    private static JsonValue memory(Resources.Memory m) {
        return new JsonOut()
                .signed("limit", m.limit())
                .signed("reservation", m.reservation())
                .signed("swap", m.swap())
                .signed("kernel", m.kernel())
                .signed("kernelTCP", m.kernelTCP())
                .unsigned("swappiness", m.swappiness())
                .bool("disableOOMKiller", m.disableOOMKiller())
                .bool("useHierarchy", m.useHierarchy())
                .bool("checkBeforeUpdate", m.checkBeforeUpdate())
                .end(m.extra());
    }

    private static JsonValue cpu(Resources.Cpu c) {
        return new JsonOut()
                .unsigned("shares", c.shares())
                .signed("quota", c.quota())
                .unsigned("burst", c.burst())
                .unsigned("period", c.period())
                .signed("realtimeRuntime", c.realtimeRuntime())
                .unsigned("realtimePeriod", c.realtimePeriod())
                .string("cpus", c.cpus())
                .string("mems", c.mems())
                .signed("idle", c.idle())
                .end(c.extra());
    }

    private static JsonValue pids(Resources.Pids p) {
        return new JsonOut().signed("limit", p.limit()).end(p.extra());
    }

    private static JsonValue blockIo(Resources.BlockIo b) {
        return new JsonOut()
                .unsigned("weight", b.weight())
                .unsigned("leafWeight", b.leafWeight())
                .list("weightDevice", b.weightDevice(), SpecWriter::weightDevice)
                .list("throttleReadBpsDevice", b.throttleReadBpsDevice(), SpecWriter::throttleDevice)
                .list("throttleWriteBpsDevice", b.throttleWriteBpsDevice(), SpecWriter::throttleDevice)
                .list("throttleReadIOPSDevice", b.throttleReadIOPSDevice(), SpecWriter::throttleDevice)
                .list("throttleWriteIOPSDevice", b.throttleWriteIOPSDevice(), SpecWriter::throttleDevice)
                .end(b.extra());
    }

    private static JsonValue weightDevice(Resources.WeightDevice w) {
        return new JsonOut()
                .signed("major", w.major())
                .signed("minor", w.minor())
                .unsigned("weight", w.weight())
                .unsigned("leafWeight", w.leafWeight())
                .end(w.extra());
    }

    private static JsonValue throttleDevice(Resources.ThrottleDevice t) {
        return new JsonOut().signed("major", t.major()).signed("minor", t.minor()).unsigned("rate", t.rate())
                .end(t.extra());
    }

    private static JsonValue hugepageLimit(Resources.HugepageLimit h) {
        return new JsonOut().string("pageSize", h.pageSize()).unsigned("limit", h.limit()).end(h.extra());
    }

    private static JsonValue network(Resources.Network n) {
        return new JsonOut()
                .unsigned("classID", n.classID())
                .list("priorities", n.priorities(), SpecWriter::interfacePriority)
                .end(n.extra());
    }

    private static JsonValue interfacePriority(Resources.InterfacePriority p) {
        return new JsonOut().string("name", p.name()).unsigned("priority", p.priority()).end(p.extra());
    }

    private static JsonValue rdma(Resources.Rdma r) {
        return new JsonOut().unsigned("hcaHandles", r.hcaHandles()).unsigned("hcaObjects", r.hcaObjects())
                .end(r.extra());
    }

    private static JsonValue seccomp(Seccomp s) {
        return new JsonOut()
                .string("defaultAction", s.defaultAction())
                .unsigned("defaultErrnoRet", s.defaultErrnoRet())
                .strings("architectures", s.architectures())
                .strings("flags", s.flags())
                .string("listenerPath", s.listenerPath())
                .string("listenerMetadata", s.listenerMetadata())
                .list("syscalls", s.syscalls(), SpecWriter::syscall)
                .end(s.extra());
    }

    private static JsonValue syscall(Seccomp.Syscall s) {
        return new JsonOut()
                .listAlways("names", s.names(), JsonValue::string)
                .string("action", s.action())
                .unsigned("errnoRet", s.errnoRet())
                .list("args", s.args(), SpecWriter::syscallArg)
                .end(s.extra());
    }

    private static JsonValue syscallArg(Seccomp.Arg a) {
        return new JsonOut()
                .unsigned("index", a.index())
                .unsigned("value", a.value())
                .unsignedOmitZero("valueTwo", a.valueTwo())
                .string("op", a.op())
                .end(a.extra());
    }
}
