package jrun.linux.seccomp;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import jrun.cli.JrunException;

/**
 * The parts of libseccomp.so.2 that compile a filter, bound with FFM. jrun uses libseccomp only
 * as a compiler (rules in, classic BPF out, see {@link SeccompCompiler}); the container's init
 * loads the program itself with seccomp(2). The library is opened, and its handles linked, only
 * for a config that has {@code linux.seccomp}: every linked handle costs start-up time.
 *
 * <p>Functions return a negative errno on failure, as libseccomp's do. Not thread-safe: one
 * compiler at a time.
 */
public final class Libseccomp {
    /** {@code __NR_SCMP_ERROR}: what name resolution returns for a name libseccomp does not know. */
    public static final int NR_SCMP_ERROR = -1;

    /** {@code enum scmp_filter_attr} values used here (libseccomp 2.5). */
    static final int ATTR_CTL_NNP = 3;
    static final int ATTR_CTL_OPTIMIZE = 8;

    private static final String LIBRARY = "libseccomp.so.2";

    private static Libseccomp loaded;

    /** Keeps the library mapped for the life of the JVM. */
    private final Arena arena;
    private final MethodHandle init;
    private final MethodHandle release;
    private final MethodHandle archAdd;
    private final MethodHandle archResolveName;
    private final MethodHandle syscallResolveName;
    private final MethodHandle attrSet;
    private final MethodHandle ruleAddArray;
    private final MethodHandle exportBpf;
    private final SymbolLookup lib;
    private String version;

    private Libseccomp(Arena arena, SymbolLookup lib) {
        this.arena = arena;
        Linker linker = Linker.nativeLinker();
        init = linker.downcallHandle(lib.findOrThrow("seccomp_init"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
        release = linker.downcallHandle(lib.findOrThrow("seccomp_release"), FunctionDescriptor.ofVoid(ADDRESS));
        archAdd = linker.downcallHandle(lib.findOrThrow("seccomp_arch_add"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        archResolveName = linker.downcallHandle(lib.findOrThrow("seccomp_arch_resolve_name"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        syscallResolveName = linker.downcallHandle(lib.findOrThrow("seccomp_syscall_resolve_name"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        attrSet = linker.downcallHandle(lib.findOrThrow("seccomp_attr_set"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        ruleAddArray = linker.downcallHandle(lib.findOrThrow("seccomp_rule_add_array"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        exportBpf = linker.downcallHandle(lib.findOrThrow("seccomp_export_bpf"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        this.lib = lib;
    }

    /**
     * The system's libseccomp, opened on first use. Throws a {@link JrunException} that says what
     * to install when the library is absent.
     */
    public static synchronized Libseccomp load() {
        if (loaded == null) {
            Arena arena = Arena.ofShared();
            SymbolLookup lib;
            try {
                lib = SymbolLookup.libraryLookup(LIBRARY, arena);
            } catch (IllegalArgumentException e) {
                arena.close();
                throw new JrunException("config.json: /linux/seccomp: a seccomp filter needs " + LIBRARY
                        + ", which is not installed on this host (e.g. apt-get install libseccomp2, dnf install libseccomp)");
            }
            loaded = new Libseccomp(arena, lib);
        }
        return loaded;
    }

    /** The library's version, e.g. {@code 2.5.4}; linked only for messages. */
    public synchronized String version() {
        if (version == null) {
            version = readVersion(Linker.nativeLinker(), lib);
        }
        return version;
    }

    MemorySegment init(int defaultAction) {
        try {
            return (MemorySegment) init.invokeExact(defaultAction);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    void release(MemorySegment ctx) {
        try {
            release.invokeExact(ctx);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    int archAdd(MemorySegment ctx, int token) {
        try {
            return (int) archAdd.invokeExact(ctx, token);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** libseccomp's token for an architecture name such as {@code x86_64}; 0 when unknown. */
    int archToken(String name) {
        try (Arena a = Arena.ofConfined()) {
            return (int) archResolveName.invokeExact(a.allocateFrom(name, StandardCharsets.UTF_8));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * The number of a system call on the native architecture; a negative pseudo-number for a
     * call that exists only on other architectures; {@link #NR_SCMP_ERROR} for an unknown name.
     */
    public int syscallNumber(String name) {
        try (Arena a = Arena.ofConfined()) {
            return (int) syscallResolveName.invokeExact(a.allocateFrom(name, StandardCharsets.UTF_8));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    int attrSet(MemorySegment ctx, int attr, int value) {
        try {
            return (int) attrSet.invokeExact(ctx, attr, value);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code conditions} holds {@code count} {@code struct scmp_arg_cmp} (24 bytes each). */
    int ruleAdd(MemorySegment ctx, int action, int syscall, int count, MemorySegment conditions) {
        try {
            return (int) ruleAddArray.invokeExact(ctx, action, syscall, count, conditions);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    int exportBpf(MemorySegment ctx, int fd) {
        try {
            return (int) exportBpf.invokeExact(ctx, fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static String readVersion(Linker linker, SymbolLookup lib) {
        try {
            MethodHandle h = linker.downcallHandle(lib.findOrThrow("seccomp_version"), FunctionDescriptor.of(ADDRESS));
            MemorySegment v = ((MemorySegment) h.invokeExact()).reinterpret(12);
            return v.get(JAVA_INT, 0) + "." + v.get(JAVA_INT, 4) + "." + v.get(JAVA_INT, 8);
        } catch (Throwable t) {
            return "(unknown version)";
        }
    }

    private static IllegalStateException unexpected(Throwable t) {
        return new IllegalStateException("libseccomp call failed unexpectedly", t);
    }
}
