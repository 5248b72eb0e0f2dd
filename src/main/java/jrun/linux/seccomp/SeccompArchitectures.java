package jrun.linux.seccomp;

import java.util.List;
import java.util.Locale;

/** The runtime-spec's {@code SCMP_ARCH_*} names and the names libseccomp resolves them by. */
public final class SeccompArchitectures {
    /** Every architecture the runtime-spec names (as of libseccomp 2.6). */
    public static final List<String> SPEC_NAMES = List.of(
            "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
            "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
            "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
            "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",
            "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB");

    private static final String PREFIX = "SCMP_ARCH_";

    private SeccompArchitectures() {}

    /** libseccomp's name ({@code x86_64} for {@code SCMP_ARCH_X86_64}), or null for a name the spec does not have. */
    public static String libseccompName(String specName) {
        if (!SPEC_NAMES.contains(specName)) {
            return null;
        }
        return specName.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
    }
}
