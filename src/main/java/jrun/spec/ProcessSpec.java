package jrun.spec;

import java.util.List;
import java.util.Map;
import jrun.json.JsonValue;

/**
 * The container process ({@code process} in config.json, and the whole of an exec process.json).
 * Note that this type shadows {@link java.lang.Process} where it is imported.
 *
 * @param user never null: an absent {@code user} is uid 0, gid 0, as Go reads it
 * @param commandLine Windows only; kept for round trips
 * @param oomScoreAdj the value for /proc/self/oom_score_adj; null to leave it alone
 * @param execCPUAffinity CPU affinity of processes started by {@code exec}
 */
public record ProcessSpec(boolean terminal, ConsoleSize consoleSize, User user, List<String> args, String commandLine,
                      List<String> env, String cwd, Capabilities capabilities, List<Rlimit> rlimits,
                      boolean noNewPrivileges, String apparmorProfile, Long oomScoreAdj, Scheduler scheduler,
                      String selinuxLabel, IoPriority ioPriority, CpuAffinity execCPUAffinity,
                      Map<String, JsonValue> extra) {
    public ProcessSpec {
        user = user == null ? new User(0, 0) : user;
        args = Immutable.list(args);
        env = Immutable.list(env);
        rlimits = Immutable.list(rlimits);
        extra = Immutable.map(extra);
    }

    /** The terminal size to set on the console, in characters. */
    public record ConsoleSize(long height, long width, Map<String, JsonValue> extra) {
        public ConsoleSize {
            extra = Immutable.map(extra);
        }
    }

    /**
     * The identity of the process.
     *
     * @param umask null to inherit the runtime's umask
     * @param username Windows only
     */
    public record User(long uid, long gid, Long umask, List<Long> additionalGids, String username,
                       Map<String, JsonValue> extra) {
        public User {
            additionalGids = Immutable.list(additionalGids);
            extra = Immutable.map(extra);
        }

        public User(long uid, long gid) {
            this(uid, gid, null, List.of(), null, Map.of());
        }
    }

    /** Capability names ({@code CAP_KILL}, ...) for each of the five sets. */
    public record Capabilities(List<String> bounding, List<String> effective, List<String> inheritable,
                               List<String> permitted, List<String> ambient, Map<String, JsonValue> extra) {
        public Capabilities {
            bounding = Immutable.list(bounding);
            effective = Immutable.list(effective);
            inheritable = Immutable.list(inheritable);
            permitted = Immutable.list(permitted);
            ambient = Immutable.list(ambient);
            extra = Immutable.map(extra);
        }
    }

    /**
     * A resource limit; {@code hard} and {@code soft} are uint64, so RLIM_INFINITY reads as -1.
     *
     * @param type e.g. {@code RLIMIT_NOFILE}
     */
    public record Rlimit(String type, long hard, long soft, Map<String, JsonValue> extra) {
        public Rlimit {
            extra = Immutable.map(extra);
        }

        public Rlimit(String type, long hard, long soft) {
            this(type, hard, soft, Map.of());
        }
    }

    /**
     * sched_setattr(2) parameters. {@code runtime}, {@code deadline} and {@code period} are
     * nanoseconds, for SCHED_DEADLINE.
     *
     * @param policy e.g. {@code SCHED_FIFO}
     * @param flags e.g. {@code SCHED_FLAG_RESET_ON_FORK}
     */
    public record Scheduler(String policy, long nice, long priority, List<String> flags, long runtime,
                            long deadline, long period, Map<String, JsonValue> extra) {
        public Scheduler {
            flags = Immutable.list(flags);
            extra = Immutable.map(extra);
        }
    }

    /**
     * ioprio_set(2) parameters.
     *
     * @param ioClass JSON {@code class}: {@code IOPRIO_CLASS_RT}, {@code _BE} or {@code _IDLE}
     */
    public record IoPriority(String ioClass, long priority, Map<String, JsonValue> extra) {
        public IoPriority {
            extra = Immutable.map(extra);
        }
    }

    /**
     * CPU lists (e.g. {@code "0-3,7"}) for an exec'd process.
     *
     * @param initialCpus JSON {@code initial}: where the runtime's process runs before it joins the
     *                    container's cgroup
     * @param finalCpus JSON {@code final}: where the process runs once in the container's cgroup
     */
    public record CpuAffinity(String initialCpus, String finalCpus, Map<String, JsonValue> extra) {
        public CpuAffinity {
            extra = Immutable.map(extra);
        }
    }
}
