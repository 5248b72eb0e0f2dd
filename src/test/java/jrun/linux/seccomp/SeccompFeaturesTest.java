package jrun.linux.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@code jrun features} will list from the compiler's own tables. The flags the kernel takes
 * depend on the host: KernelFeaturesIT checks them.
 */
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
}
