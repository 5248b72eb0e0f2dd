package jrun.spec;

import java.util.List;
import java.util.Map;
import jrun.json.JsonValue;

/**
 * {@code linux.resources}: cgroup limits. Every nested limit is null when absent, meaning "leave
 * the cgroup's value alone".
 *
 * @param devices the device allow/deny list, applied in order
 * @param rdma limits keyed by RDMA device name
 * @param unified cgroup v2 files and the values to write to them, e.g. {@code memory.high}
 */
public record Resources(List<DeviceRule> devices, Memory memory, Cpu cpu, Pids pids, BlockIo blockIO,
                        List<HugepageLimit> hugepageLimits, Network network, Map<String, Rdma> rdma,
                        Map<String, String> unified, Map<String, JsonValue> extra) {
    public Resources {
        devices = Immutable.list(devices);
        hugepageLimits = Immutable.list(hugepageLimits);
        rdma = Immutable.map(rdma);
        unified = Immutable.map(unified);
        extra = Immutable.map(extra);
    }

    /**
     * A device cgroup rule. Null {@code type}, {@code major} or {@code minor} match all.
     *
     * @param type {@code a}, {@code c} or {@code b}
     * @param access a combination of {@code r}, {@code w}, {@code m}; null for all
     */
    public record DeviceRule(boolean allow, String type, Long major, Long minor, String access,
                             Map<String, JsonValue> extra) {
        public DeviceRule {
            extra = Immutable.map(extra);
        }
    }

    /**
     * Memory limits in bytes; -1 means unlimited. {@code swap} is memory plus swap.
     * {@code swappiness} is uint64. {@code kernel} is deprecated (cgroup v1 only).
     */
    public record Memory(Long limit, Long reservation, Long swap, Long kernel, Long kernelTCP, Long swappiness,
                         Boolean disableOOMKiller, Boolean useHierarchy, Boolean checkBeforeUpdate,
                         Map<String, JsonValue> extra) {
        public Memory {
            extra = Immutable.map(extra);
        }
    }

    /**
     * CPU limits. Times are microseconds. {@code shares}, {@code burst}, {@code period} and
     * {@code realtimePeriod} are uint64; {@code quota}, {@code realtimeRuntime} and {@code idle}
     * are int64.
     *
     * @param cpus a cpuset CPU list, e.g. {@code "0-3"}
     * @param mems a cpuset memory node list
     */
    public record Cpu(Long shares, Long quota, Long burst, Long period, Long realtimeRuntime, Long realtimePeriod,
                      String cpus, String mems, Long idle, Map<String, JsonValue> extra) {
        public Cpu {
            extra = Immutable.map(extra);
        }
    }

    /** @param limit the maximum number of tasks; null or negative for no limit */
    public record Pids(Long limit, Map<String, JsonValue> extra) {
        public Pids {
            extra = Immutable.map(extra);
        }
    }

    /** Block I/O weights (10-1000) and per-device throttles. */
    public record BlockIo(Long weight, Long leafWeight, List<WeightDevice> weightDevice,
                          List<ThrottleDevice> throttleReadBpsDevice, List<ThrottleDevice> throttleWriteBpsDevice,
                          List<ThrottleDevice> throttleReadIOPSDevice, List<ThrottleDevice> throttleWriteIOPSDevice,
                          Map<String, JsonValue> extra) {
        public BlockIo {
            weightDevice = Immutable.list(weightDevice);
            throttleReadBpsDevice = Immutable.list(throttleReadBpsDevice);
            throttleWriteBpsDevice = Immutable.list(throttleWriteBpsDevice);
            throttleReadIOPSDevice = Immutable.list(throttleReadIOPSDevice);
            throttleWriteIOPSDevice = Immutable.list(throttleWriteIOPSDevice);
            extra = Immutable.map(extra);
        }
    }

    public record WeightDevice(long major, long minor, Long weight, Long leafWeight, Map<String, JsonValue> extra) {
        public WeightDevice {
            extra = Immutable.map(extra);
        }
    }

    /** @param rate bytes or operations per second (uint64) */
    public record ThrottleDevice(long major, long minor, long rate, Map<String, JsonValue> extra) {
        public ThrottleDevice {
            extra = Immutable.map(extra);
        }
    }

    /**
     * @param pageSize e.g. {@code "2MB"}
     * @param limit bytes (uint64)
     */
    public record HugepageLimit(String pageSize, long limit, Map<String, JsonValue> extra) {
        public HugepageLimit {
            extra = Immutable.map(extra);
        }
    }

    /** net_cls class id and net_prio priorities (cgroup v1). */
    public record Network(Long classID, List<InterfacePriority> priorities, Map<String, JsonValue> extra) {
        public Network {
            priorities = Immutable.list(priorities);
            extra = Immutable.map(extra);
        }
    }

    public record InterfacePriority(String name, long priority, Map<String, JsonValue> extra) {
        public InterfacePriority {
            extra = Immutable.map(extra);
        }
    }

    public record Rdma(Long hcaHandles, Long hcaObjects, Map<String, JsonValue> extra) {
        public Rdma {
            extra = Immutable.map(extra);
        }
    }
}
