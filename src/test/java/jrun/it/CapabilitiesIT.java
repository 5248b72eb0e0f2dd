package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import jrun.linux.seccomp.HardeningBundles;
import jrun.sys.Arch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a container confined by runc's default config and podman's seccomp profile cannot do
 * to the host: mount, load a kernel module, reach the host's processes and their fds, ptrace
 * outside, write /proc/sysrq-trigger. Each attempt is repeated with the one protection that
 * stopped it taken out of the config (a capability granted, the pid namespace or a read-only
 * path dropped), to show it is that protection which holds.
 */
class CapabilitiesIT {
    private static final int FINIT_MODULE = 313;
    private static final int EPERM = 1, ESRCH = 3, EBADF = 9, EROFS = 30, ENOSYS = 38;

    @TempDir
    Path tmp;

    private int bundles;

    @BeforeAll
    static void x86_64() {
        assumeTrue(Arch.current() == Arch.X86_64, "the probe's system call numbers are x86_64's");
    }

    /** Runs {@code script} in runc's default config plus podman's profile, after {@code edit}. */
    private String inside(String script, Consumer<ObjectNode> edit) {
        String id = "caps" + (++bundles);
        Path bundle = HardeningBundles.runcDefault(tmp.resolve(id), List.of("sh", "-c", script), c -> {
            edit.accept(c);
            HardeningBundles.withPodmanProfile(c);
        });
        Jrun.Result r = new Jrun(tmp.resolve("root")).run("run", "-b", bundle.toString(), id);
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        return r.stdout();
    }

    private static Consumer<ObjectNode> grant(String cap) {
        return c -> {
            ObjectNode caps = (ObjectNode) c.path("process").path("capabilities");
            for (String set : List.of("bounding", "effective", "permitted")) {
                ((ArrayNode) caps.get(set)).add(cap);
            }
        };
    }

    private static Consumer<ObjectNode> hostPidNamespace() {
        return c -> {
            ArrayNode ns = (ArrayNode) c.path("linux").path("namespaces");
            for (int i = ns.size() - 1; i >= 0; i--) {
                if (ns.get(i).path("type").asString().equals("pid")) {
                    ns.remove(i);
                }
            }
        };
    }

    private static String result(int errno) {
        return "ret=-1 errno=" + errno;
    }

    @Test
    void aContainerCannotMountWithoutCapSysAdmin() {
        String confined = inside("probe mount none /tmp tmpfs", c -> { });
        assertTrue(confined.startsWith(result(EPERM)), confined);
        String granted = inside("probe mount none /tmp tmpfs", grant("CAP_SYS_ADMIN"));
        assertTrue(granted.startsWith("ret=0 errno=0"), granted);
    }

    @Test
    void aContainerCannotLoadAKernelModule() {
        // finit_module of fd -1: refused for lack of the capability, or past that check with EBADF
        String call = "probe sys " + FINIT_MODULE + " -1 0 0";
        String confined = inside(call, c -> { });
        assertTrue(confined.startsWith(result(EPERM)), confined);
        String granted = inside(call, grant("CAP_SYS_MODULE"));
        // past the filter and the capability check: the fd is refused, or the whole call when
        // the kernel was built without modules (as this build machine's is)
        int expected = Files.exists(Path.of("/proc/modules")) ? EBADF : ENOSYS;
        assertTrue(granted.startsWith(result(expected)), granted);
    }

    @Test
    void aContainerSeesNeitherTheHostsProcessesNorTheirFds() {
        long self = ProcessHandle.current().pid();
        // the shell's own glob: no child process of its own counts
        String script = "set -- /proc/[0-9]*; echo $*; ls /proc/" + self + "/fd >/dev/null 2>&1 && echo host-fds; true";
        List<String> own = inside(script, c -> { }).lines().toList();
        assertEquals(List.of("/proc/1"), own, "the container's shell, nothing of the host's");
        String shared = inside(script, hostPidNamespace().andThen(grant("CAP_SYS_PTRACE")));
        assertTrue(shared.contains("host-fds"), shared);
    }

    @Test
    void aContainerCannotPtraceAProcessOutside() throws Exception {
        java.lang.Process outside = new ProcessBuilder("sleep", "60").start();
        try {
            String call = "probe ptrace " + outside.pid();
            assertTrue(inside(call, c -> { }).startsWith(result(ESRCH)), "not even visible");
            assertTrue(inside(call, hostPidNamespace()).startsWith(result(EPERM)), "visible, no CAP_SYS_PTRACE");
            assertTrue(inside(call, hostPidNamespace().andThen(grant("CAP_SYS_PTRACE"))).startsWith("ret=0 errno=0"));
            assertTrue(outside.isAlive());
        } finally {
            outside.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Where the kernel has no sysrq (this build machine's has neither sysrq nor modules), the same
     * protection, a read-only path over /proc, is shown on /proc/sys with a harmless write:
     * dropping the clean page cache.
     */
    @Test
    void aContainerCannotWriteSysrqTrigger() {
        boolean sysrq = Files.exists(Path.of("/proc/sysrq-trigger"));
        // 'h' only prints sysrq's help to the kernel log, should the write get through
        String write = sysrq ? "probe write /proc/sysrq-trigger h" : "probe write /proc/sys/vm/drop_caches 1";
        String readonlyPath = sysrq ? "/proc/sysrq-trigger" : "/proc/sys";
        String confined = inside(write, c -> { });
        assertTrue(confined.startsWith(result(EROFS)), confined);
        String unprotected = inside(write, c -> {
            ArrayNode ro = (ArrayNode) c.path("linux").path("readonlyPaths");
            for (int i = ro.size() - 1; i >= 0; i--) {
                if (ro.get(i).asString().equals(readonlyPath)) {
                    ro.remove(i);
                }
            }
        });
        assertTrue(unprotected.startsWith("ret=1 errno=0"), unprotected);
    }
}
