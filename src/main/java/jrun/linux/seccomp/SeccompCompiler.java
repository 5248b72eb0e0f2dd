package jrun.linux.seccomp;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jrun.sys.Kernel.MFD_CLOEXEC;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jrun.base.JrunException;
import jrun.spec.Seccomp;
import jrun.sys.Errno;
import jrun.sys.NativeCopy;
import jrun.sys.ProcFiles;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * Turns {@code linux.seccomp} into a {@link SeccompFilter} in the parent, before any process is
 * created: every name, action, architecture, flag and condition is checked and a mistake is
 * refused with its JSON pointer; then libseccomp compiles the rules and exports the BPF program.
 *
 * <p>Differences from runc, on purpose: a system call name libseccomp does not know is an error
 * (runc skips it silently, so a typo leaves a call allowed or denied against the author's
 * intent); SCMP_ACT_NOTIFY is refused on the two calls the init makes between installing the
 * filter and handing the listener over (dup3, write), where runc refuses write alone.
 */
public final class SeccompCompiler {
    private static final String BASE = "/linux/seccomp";
    private static final int MAX_CONDITIONS = 6;
    private static final int STRUCT_ARG_CMP = 24;
    private static final int BPF_MAXINSNS = 4096;
    /** The calls the init itself makes after installing a notifying filter and before the agent has it. */
    private static final Set<String> INIT_CALLS_BEFORE_HANDOVER = Set.of("dup3", "write");

    private final Libseccomp lib;
    private final Set<String> kernelActions;

    /**
     * @param kernelActions what /proc/sys/kernel/seccomp/actions_avail lists; empty to not check
     */
    public SeccompCompiler(Libseccomp lib, Set<String> kernelActions) {
        this.lib = lib;
        this.kernelActions = kernelActions;
    }

    /** Compiles against the running system's libseccomp and kernel. */
    public static SeccompFilter compileForHost(Seccomp seccomp) {
        return new SeccompCompiler(Libseccomp.load(), kernelActions()).compile(seccomp);
    }

    /**
     * Starts compiling {@code seccomp} (null: nothing to do) against the host on a thread of its
     * own: linking libseccomp and compiling a profile like podman's takes tens of milliseconds,
     * which the caller overlaps with its planning on the other core.
     */
    public static Pending compileInBackground(Seccomp seccomp) {
        Pending p = new Pending();
        if (seccomp == null) {
            p.done = true;
            return p;
        }
        p.thread = Thread.ofPlatform().daemon().name("jrun-seccomp").start(() -> {
            try {
                p.filter = compileForHost(seccomp);
            } catch (RuntimeException e) {
                p.failure = e;
            }
        });
        return p;
    }

    /** A compilation under way; {@link #get} waits for it. */
    public static final class Pending {
        private Thread thread;
        private boolean done;
        private volatile SeccompFilter filter;
        private volatile RuntimeException failure;

        /** The filter, null when there was none to compile; throws the compiler's refusal. */
        public SeccompFilter get() {
            if (!done) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new JrunException("interrupted while compiling the seccomp filter", e);
                }
                done = true;
            }
            if (failure != null) {
                throw failure;
            }
            return filter;
        }
    }

    /** The actions the running kernel supports, by their actions_avail names. */
    public static Set<String> kernelActions() {
        try {
            return Set.of(ProcFiles.read(Path.of("/proc/sys/kernel/seccomp/actions_avail")).strip().split("\\s+"));
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** A checked rule: one libseccomp rule per (name, condition set). */
    private record Rule(int action, int syscall, List<Seccomp.Arg> conditions, String pointer) {}

    /** Checks {@code s} (refusing a mistake with its pointer) and compiles it. */
    public SeccompFilter compile(Seccomp s) {
        SeccompAction defaultAction = action(s.defaultAction(), BASE + "/defaultAction");
        if (defaultAction == SeccompAction.NOTIFY) {
            throw error(BASE + "/defaultAction", "SCMP_ACT_NOTIFY cannot be the default action: the container's "
                    + "init would wait on its own calls for an agent that has not received the listener yet");
        }
        int defaultValue = defaultAction.value(errno(defaultAction, s.defaultErrnoRet(), BASE + "/defaultErrnoRet"));
        long flags = flags(s.flags());
        List<Integer> arches = arches(s.architectures());

        boolean notifies = false;
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < s.syscalls().size(); i++) {
            Seccomp.Syscall call = s.syscalls().get(i);
            String pointer = BASE + "/syscalls/" + i;
            SeccompAction action = action(call.action(), pointer + "/action");
            int value = action.value(errno(action, call.errnoRet(), pointer + "/errnoRet"));
            checkConditions(call.args(), pointer + "/args");
            if (call.names().isEmpty()) {
                throw error(pointer + "/names", "a rule needs at least one system call name");
            }
            for (int j = 0; j < call.names().size(); j++) {
                String name = call.names().get(j);
                int nr = lib.syscallNumber(name);
                if (nr == Libseccomp.NR_SCMP_ERROR) {
                    throw error(pointer + "/names/" + j, "unknown system call \"" + name + "\" (libseccomp "
                            + lib.version() + " does not know it)");
                }
                if (action == SeccompAction.NOTIFY && INIT_CALLS_BEFORE_HANDOVER.contains(name)) {
                    throw error(pointer + "/names/" + j, "SCMP_ACT_NOTIFY cannot be used for " + name + ": the "
                            + "container's init calls it after loading the filter and before the agent has the listener");
                }
                // libseccomp refuses a rule whose action is the default one; it would change nothing.
                if (value != defaultValue) {
                    addRules(rules, value, nr, call.args(), pointer);
                }
            }
            notifies |= action == SeccompAction.NOTIFY;
        }
        checkExecveAllowed(s, defaultAction);
        String listenerPath = emptyToNull(s.listenerPath());
        if (emptyToNull(s.listenerMetadata()) != null && listenerPath == null) {
            throw error(BASE + "/listenerMetadata", "must not be set without listenerPath");
        }
        if (notifies) {
            if (listenerPath == null) {
                throw error(BASE + "/listenerPath", "a rule uses SCMP_ACT_NOTIFY, so the listener fd needs a "
                        + "socket to go to: set listenerPath");
            }
            flags |= SeccompFlag.NEW_LISTENER;
            if ((flags & SeccompFlag.TSYNC.bit()) != 0) {
                flags |= SeccompFlag.TSYNC_ESRCH;
            }
        } else {
            // The kernel refuses WAIT_KILLABLE_RECV without a listener; it only concerns notified calls.
            flags &= ~SeccompFlag.WAIT_KILLABLE_RECV.bit();
        }
        byte[] program = build(defaultValue, arches, rules);
        if (program.length / 8 > BPF_MAXINSNS) {
            throw error(BASE, "the compiled filter has " + program.length / 8 + " instructions; the kernel takes at most "
                    + BPF_MAXINSNS + " in one filter");
        }
        return new SeccompFilter(program, flags, notifies ? listenerPath : null,
                notifies ? emptyToNull(s.listenerMetadata()) : null);
    }

    /**
     * The filter is in force when the init calls execve, so a profile that denies execve could
     * never start its process; and the failure would come after {@code create} has returned.
     * Refused here: no rule lets execve through (conditionally or not) while the default, or an
     * unconditional rule, stops it.
     */
    private static void checkExecveAllowed(Seccomp s, SeccompAction defaultAction) {
        boolean stopped = !passes(defaultAction);
        for (int i = 0; i < s.syscalls().size(); i++) {
            Seccomp.Syscall call = s.syscalls().get(i);
            if (!call.names().contains("execve")) {
                continue;
            }
            SeccompAction action = SeccompAction.of(call.action());
            if (passes(action)) {
                return;
            }
            stopped |= call.args().isEmpty();
        }
        if (stopped) {
            throw error(BASE, "the filter does not let execve through, so the container's process could never "
                    + "start (jrun installs the filter just before it execs the process): allow execve");
        }
    }

    /** Actions under which a call can go ahead (an agent or a tracer may let it). */
    private static boolean passes(SeccompAction a) {
        return a == SeccompAction.ALLOW || a == SeccompAction.LOG || a == SeccompAction.NOTIFY || a == SeccompAction.TRACE;
    }

    private SeccompAction action(String name, String pointer) {
        SeccompAction a = SeccompAction.of(name);
        if (a == null) {
            throw error(pointer, "unknown seccomp action \"" + name + "\" (expected one of " + names(SeccompAction.values()) + ")");
        }
        if (!kernelActions.isEmpty() && !kernelActions.contains(a.kernelName())) {
            throw error(pointer, name + " needs the kernel's " + a.kernelName() + " action, which this kernel lacks "
                    + "(/proc/sys/kernel/seccomp/actions_avail: " + String.join(" ", kernelActions) + ")");
        }
        return a;
    }

    private static Long errno(SeccompAction action, Long errnoRet, String pointer) {
        if (errnoRet == null) {
            return null;
        }
        if (!action.takesErrno()) {
            throw error(pointer, action.specName() + " does not return an errno; only SCMP_ACT_ERRNO and "
                    + "SCMP_ACT_TRACE take one");
        }
        if (errnoRet < 0 || errnoRet > 0xffff) {
            throw error(pointer, Long.toUnsignedString(errnoRet) + " does not fit the filter's 16 bits of data");
        }
        return errnoRet;
    }

    private static long flags(List<String> names) {
        long flags = 0;
        for (int i = 0; i < names.size(); i++) {
            SeccompFlag f = SeccompFlag.of(names.get(i));
            if (f == null) {
                throw error(BASE + "/flags/" + i, "unknown seccomp flag \"" + names.get(i) + "\" (expected one of "
                        + names(SeccompFlag.values()) + ")");
            }
            flags |= f.bit();
        }
        return flags;
    }

    private List<Integer> arches(List<String> names) {
        List<Integer> tokens = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String libName = SeccompArchitectures.libseccompName(name);
            if (libName == null) {
                throw error(BASE + "/architectures/" + i, "unknown architecture \"" + name + "\" (expected one of "
                        + String.join(", ", SeccompArchitectures.SPEC_NAMES) + ")");
            }
            int token = lib.archToken(libName);
            if (token == 0) {
                throw error(BASE + "/architectures/" + i, "libseccomp " + lib.version() + " does not support " + name);
            }
            tokens.add(token);
        }
        return tokens;
    }

    private static void checkConditions(List<Seccomp.Arg> args, String pointer) {
        if (args.size() > MAX_CONDITIONS) {
            throw error(pointer, args.size() + " argument conditions; a system call has at most "
                    + MAX_CONDITIONS + " arguments, so a rule takes at most " + MAX_CONDITIONS);
        }
        for (int k = 0; k < args.size(); k++) {
            Seccomp.Arg a = args.get(k);
            if (a.index() < 0 || a.index() >= MAX_CONDITIONS) {
                throw error(pointer + "/" + k + "/index", Long.toUnsignedString(a.index())
                        + " is not a system call argument index (0 to 5)");
            }
            if (SeccompOperator.of(a.op()) == null) {
                throw error(pointer + "/" + k + "/op", "unknown operator \"" + a.op() + "\" (expected one of "
                        + names(SeccompOperator.values()) + ")");
            }
        }
    }

    /**
     * libseccomp ANDs the conditions of a rule but allows one condition per argument; conditions
     * repeating an argument become one rule each (ORed), as runc does.
     */
    private static void addRules(List<Rule> rules, int action, int nr, List<Seccomp.Arg> args, String pointer) {
        Set<Long> indexes = new LinkedHashSet<>();
        boolean repeats = false;
        for (Seccomp.Arg a : args) {
            repeats |= !indexes.add(a.index());
        }
        if (repeats) {
            for (Seccomp.Arg a : args) {
                rules.add(new Rule(action, nr, List.of(a), pointer));
            }
        } else {
            rules.add(new Rule(action, nr, args, pointer));
        }
    }

    private byte[] build(int defaultValue, List<Integer> arches, List<Rule> rules) {
        MemorySegment ctx = lib.init(defaultValue);
        if (ctx.address() == 0) {
            throw new JrunException("config.json: " + BASE + ": libseccomp could not create a filter");
        }
        try (Arena arena = Arena.ofConfined()) {
            // jrun sets no_new_privs itself when the config asks; the exported program is loaded by hand.
            lib.attrSet(ctx, Libseccomp.ATTR_CTL_NNP, 0);
            // A binary tree of syscall numbers instead of a list: a profile of 400 calls costs every
            // call of the container a few comparisons instead of hundreds.
            lib.attrSet(ctx, Libseccomp.ATTR_CTL_OPTIMIZE, 2);
            for (int token : arches) {
                int rc = lib.archAdd(ctx, token);
                if (rc < 0 && rc != -Errno.EEXIST) {
                    throw new JrunException("config.json: " + BASE + "/architectures: libseccomp refused an architecture: "
                            + Errno.describe(-rc));
                }
            }
            MemorySegment conditions = arena.allocate((long) STRUCT_ARG_CMP * MAX_CONDITIONS, 8);
            for (Rule r : rules) {
                for (int k = 0; k < r.conditions().size(); k++) {
                    Seccomp.Arg a = r.conditions().get(k);
                    long at = (long) k * STRUCT_ARG_CMP;
                    conditions.set(JAVA_INT, at, (int) a.index());
                    conditions.set(JAVA_INT, at + 4, SeccompOperator.of(a.op()).code());
                    conditions.set(JAVA_LONG, at + 8, a.value());
                    conditions.set(JAVA_LONG, at + 16, a.valueTwo());
                }
                int rc = lib.ruleAdd(ctx, r.action(), r.syscall(), r.conditions().size(), conditions);
                if (rc < 0) {
                    throw error(r.pointer(), "libseccomp refused the rule: " + Errno.describe(-rc));
                }
            }
            return export(ctx);
        } finally {
            lib.release(ctx);
        }
    }

    /** seccomp_export_bpf writes to an fd (2.5 has no in-memory export): a memfd, read back whole. */
    private byte[] export(MemorySegment ctx) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) Sys.call("create a memfd for the seccomp program", SyscallNr.MEMFD_CREATE,
                    NativeCopy.cString(arena, "jrun-seccomp").address(), MFD_CLOEXEC);
            try {
                int rc = lib.exportBpf(ctx, fd);
                if (rc < 0) {
                    throw new JrunException("config.json: " + BASE + ": libseccomp could not export the filter: "
                            + Errno.describe(-rc));
                }
                return Files.readAllBytes(Path.of("/proc/self/fd/" + fd));
            } catch (IOException e) {
                throw new JrunException("reading back the seccomp program: " + e.getMessage(), e);
            } finally {
                Sys.attempt(SyscallNr.CLOSE, fd);
            }
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String names(Enum<?>[] values) {
        List<String> out = new ArrayList<>();
        for (Enum<?> v : values) {
            out.add(switch (v) {
                case SeccompAction a -> a.specName();
                case SeccompFlag f -> f.specName();
                case SeccompOperator o -> o.specName();
                default -> v.name();
            });
        }
        return String.join(", ", out);
    }

    static JrunException error(String pointer, String message) {
        return new JrunException("config.json: " + pointer + ": " + message);
    }
}
