package jrun.linux.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What {@code jrun features} will list: the compiler's own tables, and flags the kernel takes. */
class SeccompFeaturesTest {
    @Test
    void everyListedActionAndOperatorIsOneTheCompilerAccepts() {
        assertEquals(List.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
                "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY"),
                SeccompFeatures.actions());
        assertEquals(List.of("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
                "SCMP_CMP_MASKED_EQ"), SeccompFeatures.operators());
        for (String a : SeccompFeatures.actions()) {
            assertTrue(SeccompAction.of(a) != null, a);
        }
        assertTrue(SeccompFeatures.architectures().contains("SCMP_ARCH_X86_64"));
        assertEquals("x86_64", SeccompArchitectures.libseccompName("SCMP_ARCH_X86_64"));
    }

    @Test
    void theKernelAcceptsTheFlagsItKnows() {
        // This kernel (6.x) has all four; WAIT_KILLABLE_RECV arrived in 5.19.
        assertEquals(Set.copyOf(SeccompFeatures.knownFlags()), Set.copyOf(SeccompFeatures.supportedFlags()));
    }
}
