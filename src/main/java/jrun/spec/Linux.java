package jrun.spec;

import java.util.List;
import java.util.Map;
import jrun.json.JsonValue;

/**
 * The {@code linux} section.
 *
 * @param sysctl kernel parameters to set in the container, e.g. {@code net.ipv4.ip_forward}
 * @param cgroupsPath null when absent: the runtime then picks a path
 * @param netDevices host network devices to move into the container's network namespace, keyed
 *                   by their host name
 * @param rootfsPropagation {@code shared}, {@code slave}, {@code private} or {@code unbindable}
 * @param timeOffsets clock offsets for a time namespace, keyed by clock ({@code monotonic},
 *                    {@code boottime})
 */
public record Linux(List<IdMapping> uidMappings, List<IdMapping> gidMappings, Map<String, String> sysctl,
                    Resources resources, String cgroupsPath, List<Namespace> namespaces, List<Device> devices,
                    Map<String, NetDevice> netDevices, Seccomp seccomp, String rootfsPropagation,
                    List<String> maskedPaths, List<String> readonlyPaths, String mountLabel, IntelRdt intelRdt,
                    MemoryPolicy memoryPolicy, Personality personality, Map<String, TimeOffset> timeOffsets,
                    Map<String, JsonValue> extra) {
    public Linux {
        uidMappings = Immutable.list(uidMappings);
        gidMappings = Immutable.list(gidMappings);
        sysctl = Immutable.map(sysctl);
        namespaces = Immutable.list(namespaces);
        devices = Immutable.list(devices);
        netDevices = Immutable.map(netDevices);
        maskedPaths = Immutable.list(maskedPaths);
        readonlyPaths = Immutable.list(readonlyPaths);
        timeOffsets = Immutable.map(timeOffsets);
        extra = Immutable.map(extra);
    }

    /**
     * A namespace to create, or to join when {@code path} is set.
     *
     * @param type {@code pid}, {@code network}, {@code mount}, {@code ipc}, {@code uts},
     *             {@code user}, {@code cgroup} or {@code time}
     */
    public record Namespace(String type, String path, Map<String, JsonValue> extra) {
        public Namespace {
            extra = Immutable.map(extra);
        }

        public Namespace(String type) {
            this(type, null, Map.of());
        }
    }

    /**
     * A device node to create in the container.
     *
     * @param type {@code c}, {@code b}, {@code u} or {@code p}
     * @param fileMode permission bits (decimal in JSON, e.g. 438 for 0666); null for the default
     */
    public record Device(String path, String type, long major, long minor, Long fileMode, Long uid, Long gid,
                         Map<String, JsonValue> extra) {
        public Device {
            extra = Immutable.map(extra);
        }
    }

    /** @param name the device's name inside the container; null to keep the host name */
    public record NetDevice(String name, Map<String, JsonValue> extra) {
        public NetDevice {
            extra = Immutable.map(extra);
        }
    }

    public record TimeOffset(long secs, long nanosecs, Map<String, JsonValue> extra) {
        public TimeOffset {
            extra = Immutable.map(extra);
        }
    }

    /**
     * Intel RDT (resctrl) settings. {@code enableCMT}/{@code enableMBM} are runtime-spec 1.2,
     * {@code schemata} (one line per element) and {@code enableMonitoring} are 1.3.
     */
    public record IntelRdt(String closID, List<String> schemata, String l3CacheSchema, String memBwSchema,
                           boolean enableCMT, boolean enableMBM, boolean enableMonitoring,
                           Map<String, JsonValue> extra) {
        public IntelRdt {
            schemata = Immutable.list(schemata);
            extra = Immutable.map(extra);
        }
    }

    /**
     * set_mempolicy(2) parameters.
     *
     * @param mode e.g. {@code MPOL_BIND}
     * @param nodes a node list, e.g. {@code "0-3,7"}
     * @param flags e.g. {@code MPOL_F_STATIC_NODES}
     */
    public record MemoryPolicy(String mode, String nodes, List<String> flags, Map<String, JsonValue> extra) {
        public MemoryPolicy {
            flags = Immutable.list(flags);
            extra = Immutable.map(extra);
        }
    }

    /** @param domain {@code LINUX} or {@code LINUX32} */
    public record Personality(String domain, List<String> flags, Map<String, JsonValue> extra) {
        public Personality {
            flags = Immutable.list(flags);
            extra = Immutable.map(extra);
        }
    }
}
