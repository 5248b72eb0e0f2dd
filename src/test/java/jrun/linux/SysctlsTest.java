package jrun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which sysctls belong to which namespace (runc's list), and where they live under /proc/sys. */
class SysctlsTest {
    @ParameterizedTest
    @ValueSource(strings = {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
            "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced", "fs.mqueue.msg_max", "fs.mqueue.queues_max"})
    void ipcSysctlsNeedAnIpcNamespace(String key) {
        assertNull(Sysctls.refusal(key, true, false, false));
        String why = Sysctls.refusal(key, false, true, true);
        assertNotNull(why);
        assertTrue(why.contains("IPC namespace"), why);
    }

    @Test
    void networkSysctlsNeedANetworkNamespace() {
        assertNull(Sysctls.refusal("net.ipv4.ip_forward", false, true, false));
        assertNull(Sysctls.refusal("net.core.somaxconn", false, true, false));
        assertTrue(Sysctls.refusal("net.ipv4.ip_forward", true, false, true).contains("network namespace"));
    }

    @Test
    void theHostAndDomainNameNeedAUtsNamespace() {
        assertNull(Sysctls.refusal("kernel.hostname", false, false, true));
        assertNull(Sysctls.refusal("kernel.domainname", false, false, true));
        assertTrue(Sysctls.refusal("kernel.hostname", true, true, false).contains("UTS namespace"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm.swappiness", "kernel.pid_max", "kernel.shmmaxx", "fs.file-max", "kernel.sysrq",
            "netfilter.x", "kernel.host"})
    void everythingElseWouldChangeTheHost(String key) {
        String why = Sysctls.refusal(key, true, true, true);
        assertNotNull(why, key + " was allowed");
        assertTrue(why.contains("not namespaced"), why);
    }

    @Test
    void keysMapToProcSysPaths() {
        assertEquals("/proc/sys/net/ipv4/ip_forward", Sysctls.procPath("net.ipv4.ip_forward"));
        assertEquals("/proc/sys/kernel/shm_rmid_forced", Sysctls.procPath("kernel.shm_rmid_forced"));
    }
}
