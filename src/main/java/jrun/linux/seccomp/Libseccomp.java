package jrun.linux.seccomp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import jrun.base.JrunException;
import jrun.sys.NativeCopy;

/**
 * The parts of libseccomp.so.2 that compile a filter, bound with FFM. jrun uses libseccomp only
 * as a compiler (rules in, classic BPF out, see {@link SeccompCompiler}); the container's init
 * loads the program itself with seccomp(2). The library is opened, and its handles linked, only
 * for a config that has {@code linux.seccomp}: every linked handle costs start-up time.
 *
 * <p>Functions return a negative errno on failure, as libseccomp's do. The calls that pass a
 * name share one native buffer and are synchronized; a filter context belongs to one thread.
 */
public final class Libseccomp {
    /** {@code __NR_SCMP_ERROR}: what name resolution returns for a name libseccomp does not know. */
    public static final int NR_SCMP_ERROR = -1;

    /** {@code enum scmp_filter_attr} values used here (libseccomp 2.5). */
    static final int ATTR_CTL_NNP = 3;
    static final int ATTR_CTL_OPTIMIZE = 8;

    private static final String LIBRARY = "libseccomp.so.2";
    private static final FunctionDescriptor SHAPE =
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final int NAME_BUFFER = 256;

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
    /** Reused for the names passed in: one native string per call was most of a compile's time. */
    private final MemorySegment names;
    private String version;

    private Libseccomp(Arena arena, SymbolLookup lib) {
        this.arena = arena;
        this.lib = lib;
        init = link(lib, "seccomp_init");
        release = link(lib, "seccomp_release");
        archAdd = link(lib, "seccomp_arch_add");
        archResolveName = link(lib, "seccomp_arch_resolve_name");
        syscallResolveName = link(lib, "seccomp_syscall_resolve_name");
        attrSet = link(lib, "seccomp_attr_set");
        ruleAddArray = link(lib, "seccomp_rule_add_array");
        exportBpf = link(lib, "seccomp_export_bpf");
        names = arena.allocate(NAME_BUFFER);
    }

    /**
     * Every function is linked with one shape, {@code long f(long, long, long, long, long)}:
     * under the x86_64 and aarch64 C calling conventions, integer and pointer arguments travel
     * in registers that the callee reads only as far as it declares them, and an int result is
     * the low half of the return register (read back through a cast to int). One shape is one
     * downcall stub for all eight functions: measured under -Xint without an AOT cache, one shape per
     * function nearly doubled the loading time.
     */
    private static MethodHandle link(SymbolLookup lib, String name) {
        return Linker.nativeLinker().downcallHandle(lib.findOrThrow(name), SHAPE);
    }

    /**
     * The system's libseccomp, opened on first use. Throws a {@link JrunException} that says what
     * to install when the library is absent.
     */
    public static synchronized Libseccomp load() {
        if (loaded == null) {
            loaded = open(LIBRARY);
        }
        return loaded;
    }

    static Libseccomp open(String library) {
        Arena arena = Arena.ofShared();
        try {
            return new Libseccomp(arena, SymbolLookup.libraryLookup(library, arena));
        } catch (IllegalArgumentException e) {
            arena.close();
            throw new JrunException("config.json: /linux/seccomp: a seccomp filter needs " + library
                    + ", which is not installed on this host (e.g. apt-get install libseccomp2, dnf install libseccomp)");
        }
    }

    /** The library's version, e.g. {@code 2.5.4}; linked only for messages. */
    public synchronized String version() {
        if (version == null) {
            version = readVersion(lib);
        }
        return version;
    }

    MemorySegment init(int defaultAction) {
        return MemorySegment.ofAddress(call(init, defaultAction & 0xffffffffL, 0, 0, 0, 0));
    }

    void release(MemorySegment ctx) {
        call(release, ctx.address(), 0, 0, 0, 0);
    }

    int archAdd(MemorySegment ctx, int token) {
        return (int) call(archAdd, ctx.address(), token & 0xffffffffL, 0, 0, 0);
    }

    /** libseccomp's token for an architecture name such as {@code x86_64}; 0 when unknown. */
    synchronized int archToken(String name) {
        return fits(name) ? (int) call(archResolveName, name(name), 0, 0, 0, 0) : 0;
    }

    /**
     * The number of a system call on the native architecture; a negative pseudo-number for a
     * call that exists only on other architectures; {@link #NR_SCMP_ERROR} for an unknown name.
     */
    public synchronized int syscallNumber(String name) {
        return fits(name) ? (int) call(syscallResolveName, name(name), 0, 0, 0, 0) : NR_SCMP_ERROR;
    }

    int attrSet(MemorySegment ctx, int attr, int value) {
        return (int) call(attrSet, ctx.address(), attr, value & 0xffffffffL, 0, 0);
    }

    /** {@code conditions} holds {@code count} {@code struct scmp_arg_cmp} (24 bytes each). */
    int ruleAdd(MemorySegment ctx, int action, int syscall, int count, MemorySegment conditions) {
        return (int) call(ruleAddArray, ctx.address(), action & 0xffffffffL, syscall, count, conditions.address());
    }

    int exportBpf(MemorySegment ctx, int fd) {
        return (int) call(exportBpf, ctx.address(), fd, 0, 0, 0);
    }

    /** No name libseccomp knows is this long; a longer one is unknown without asking. */
    private static boolean fits(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length < NAME_BUFFER;
    }

    /** The name as a C string in the reused buffer. */
    private long name(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        NativeCopy.put(bytes, 0, names, 0, bytes.length);
        names.set(JAVA_BYTE, bytes.length, (byte) 0);
        return names.address();
    }

    private static long call(MethodHandle h, long a, long b, long c, long d, long e) {
        try {
            return (long) h.invokeExact(a, b, c, d, e);
        } catch (Throwable t) {
            throw new IllegalStateException("libseccomp call failed unexpectedly", t);
        }
    }

    /** {@code const struct scmp_version *seccomp_version(void)}: three unsigned ints. */
    private static String readVersion(SymbolLookup lib) {
        MemorySegment v = MemorySegment.ofAddress(call(link(lib, "seccomp_version"), 0, 0, 0, 0, 0)).reinterpret(12);
        return v.get(JAVA_INT, 0) + "." + v.get(JAVA_INT, 4) + "." + v.get(JAVA_INT, 8);
    }

}
