package jrun.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jrun.base.CliException;
import jrun.base.ExitCodes;
import jrun.container.ContainerUpdater;
import jrun.spec.Resources;
import jrun.spec.SpecReader;
import jrun.state.ContainerId;
import jrun.state.StateStore;
import jrun.validation.JsonTrees;

/**
 * {@code jrun update}: changes the limits of a container's cgroup, with runc's flags or a
 * {@code linux.resources} document ({@code --resources FILE}, or {@code -} for standard input;
 * then the other flags are ignored, as by runc). Values are checked as {@code create} checks
 * them, and an unset flag leaves its limit alone.
 */
final class UpdateCommand implements Command {
    private static final long MAX_RESOURCES_BYTES = 1 << 20;
    /** go-units' RAMInBytes: a number, an optional binary unit, optional "i" and "b". */
    private static final Pattern RAM = Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kmgtp])?i?b?$");

    @Override public String name() { return "update"; }
    @Override public String summary() { return "update container resource constraints"; }
    @Override public String argsUsage() { return "<container-id>"; }

    @Override
    public List<Flag> flags() {
        return List.of(
                Flag.value("resources", null, "path to the file containing the resources to update or '-' to read "
                        + "from the standard input", "r"),
                Flag.value("blkio-weight", null, "Specifies per cgroup weight, range is from 10 to 1000"),
                Flag.value("cpu-period", null, "CPU CFS period to be used for hardcapping (in usecs). 0 to use system default"),
                Flag.value("cpu-quota", null, "CPU CFS hardcap limit (in usecs). Allowed cpu time in a given period"),
                Flag.value("cpu-share", null, "CPU shares (relative weight vs. other containers)"),
                Flag.value("cpu-rt-period", null, "CPU realtime period to be used for hardcapping (in usecs). 0 to use system default"),
                Flag.value("cpu-rt-runtime", null, "CPU realtime hardcap limit (in usecs). Allowed cpu time in a given period"),
                Flag.value("cpuset-cpus", null, "CPU(s) to use"),
                Flag.value("cpuset-mems", null, "Memory node(s) to use"),
                Flag.value("kernel-memory", null, "(obsoleted; do not use)"),
                Flag.value("kernel-memory-tcp", null, "(obsoleted; do not use)"),
                Flag.value("memory", null, "Memory limit (in bytes)"),
                Flag.value("memory-reservation", null, "Memory reservation or soft_limit (in bytes)"),
                Flag.value("memory-swap", null, "Total memory usage (memory + swap); set '-1' to enable unlimited swap"),
                Flag.value("pids-limit", null, "Maximum number of pids allowed in the container"),
                Flag.value("l3-cache-schema", null, "The string of Intel RDT/CAT L3 cache schema (not supported)"),
                Flag.value("mem-bw-schema", null, "The string of Intel RDT/MBA memory bandwidth schema (not supported)"));
    }

    @Override
    public int run(GlobalOptions global, Args args) throws IOException {
        args.exactly(1, argsUsage());
        String id = ContainerId.validate(args.requireId());
        String source = args.value("resources");
        Resources resources = source != null ? fromDocument(source) : fromFlags(args);
        String where = source != null ? "update: " + (source.equals("-") ? "standard input" : source) + ": "
                : "update: linux.resources";
        new ContainerUpdater(new StateStore(global.root())).update(id, resources, where);
        return ExitCodes.OK;
    }

    private static Resources fromDocument(String source) throws IOException {
        String name = source.equals("-") ? "standard input" : source;
        byte[] json = source.equals("-") ? System.in.readNBytes((int) MAX_RESOURCES_BYTES)
                : JsonTrees.readBounded(Path.of(source), name, MAX_RESOURCES_BYTES);
        return SpecReader.readResources(JsonTrees.parse(json, name), name);
    }

    private static Resources fromFlags(Args args) {
        for (String rdt : List.of("l3-cache-schema", "mem-bw-schema")) {
            if (args.isSet(rdt)) {
                throw new CliException("update: --" + rdt + ": Intel RDT is not supported by jrun", ExitCodes.FAILURE);
            }
        }
        Resources.Memory memory = null;
        if (args.isSet("memory") || args.isSet("memory-swap") || args.isSet("memory-reservation")
                || args.isSet("kernel-memory") || args.isSet("kernel-memory-tcp")) {
            memory = new Resources.Memory(bytes(args, "memory"), bytes(args, "memory-reservation"),
                    bytes(args, "memory-swap"), bytes(args, "kernel-memory"), bytes(args, "kernel-memory-tcp"),
                    null, null, null, null, Map.of());
        }
        Resources.Cpu cpu = null;
        if (args.isSet("cpu-period") || args.isSet("cpu-quota") || args.isSet("cpu-share") || args.isSet("cpu-rt-period")
                || args.isSet("cpu-rt-runtime") || args.isSet("cpuset-cpus") || args.isSet("cpuset-mems")) {
            cpu = new Resources.Cpu(unsigned(args, "cpu-share"), signed(args, "cpu-quota"), null,
                    unsigned(args, "cpu-period"), signed(args, "cpu-rt-runtime"), unsigned(args, "cpu-rt-period"),
                    args.value("cpuset-cpus"), args.value("cpuset-mems"), null, Map.of());
        }
        Resources.Pids pids = args.isSet("pids-limit") ? new Resources.Pids(signed(args, "pids-limit"), Map.of()) : null;
        Resources.BlockIo blockIo = args.isSet("blkio-weight")
                ? new Resources.BlockIo(unsigned(args, "blkio-weight"), null, List.of(), List.of(), List.of(), List.of(),
                        List.of(), Map.of()) : null;
        return new Resources(List.of(), memory, cpu, pids, blockIo, List.of(), null, Map.of(), Map.of(), Map.of());
    }

    /** A memory size as runc takes it: -1, or bytes with an optional unit (64m, 1.5GiB), binary multiples. */
    static Long bytes(Args args, String flag) {
        String v = args.value(flag);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.equals("-1")) {
            return -1L;
        }
        Matcher m = RAM.matcher(v.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CliException("update: invalid value \"" + v + "\" for --" + flag
                    + ": expected -1 or a size such as 67108864, 64m or 1g", ExitCodes.FAILURE);
        }
        double n = Double.parseDouble(m.group(1));
        int shift = m.group(2) == null ? 0 : 10 * ("kmgtp".indexOf(m.group(2)) + 1);
        return (long) (n * (1L << shift));
    }

    private static Long signed(Args args, String flag) {
        String v = args.value(flag);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new CliException("update: invalid value \"" + v + "\" for --" + flag + ": expected an integer",
                    ExitCodes.FAILURE);
        }
    }

    private static Long unsigned(Args args, String flag) {
        Long v = signed(args, flag);
        if (v != null && v < 0) {
            throw new CliException("update: invalid value \"" + v + "\" for --" + flag + ": expected a number >= 0",
                    ExitCodes.FAILURE);
        }
        return v;
    }
}
