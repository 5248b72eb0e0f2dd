package jrun.linux.seccomp;

import static jrun.json.Jackson.toJsonValue;
import static jrun.linux.seccomp.BpfInterpreter.AUDIT_ARCH_I386;
import static jrun.linux.seccomp.BpfInterpreter.AUDIT_ARCH_X86_64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Set;
import jrun.base.JrunException;
import jrun.spec.Seccomp;
import jrun.spec.SpecReader;
import jrun.sys.Arch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The compiler against the system's libseccomp: what the exported BPF program answers for a
 * call (run by {@link BpfInterpreter}, never loaded into this JVM), and every refusal naming
 * its field. x86_64 numbers: the build machines are x86_64.
 */
class SeccompCompilerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ALLOW = 0x7fff0000;
    private static final int KILL_THREAD = 0;
    private static final int KILL_PROCESS = 0x80000000;
    private static final int TRAP = 0x00030000;
    private static final int NOTIFY = 0x7fc00000;
    private static final int LOG = 0x7ffc0000;

    // x86_64 system call numbers
    private static final int READ = 0, WRITE = 1, GETPID = 39, SOCKET = 41, EXECVE = 59, UNAME = 63, MKDIR = 83,
            GETPRIORITY = 140, PERSONALITY = 135, REBOOT = 169, KEXEC_LOAD = 246, ADD_KEY = 248, FINIT_MODULE = 313, MKDIRAT = 258;

    @BeforeAll
    static void x86_64() {
        assumeTrue(Arch.current() == Arch.X86_64, "the expected numbers are x86_64's");
    }

    static Seccomp seccomp(String json) {
        ObjectNode config = JSON.createObjectNode();
        config.put("ociVersion", "1.2.0");
        config.putObject("linux").set("seccomp", JSON.readTree(json));
        return SpecReader.read(toJsonValue(config)).linux().seccomp();
    }

    static Seccomp seccomp(JsonNode tree) {
        return seccomp(tree.toString());
    }

    private static SeccompFilter compile(String json) {
        return new SeccompCompiler(Libseccomp.load(), Set.of()).compile(seccomp(json));
    }

    private static JrunException refused(String json) {
        return assertThrows(JrunException.class, () -> compile(json));
    }

    private static int errno(int e) {
        return 0x00050000 | e;
    }

    @Test
    void theDefaultActionAndAnErrnoRuleDecideWhatACallReturns() {
        SeccompFilter f = compile("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
                  {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 122},
                  {"names": ["uname"], "action": "SCMP_ACT_ERRNO"}]}""");
        BpfInterpreter bpf = new BpfInterpreter(f.program());
        assertEquals(errno(122), bpf.run(AUDIT_ARCH_X86_64, MKDIR));
        assertEquals(errno(122), bpf.run(AUDIT_ARCH_X86_64, MKDIRAT));
        assertEquals(errno(1), bpf.run(AUDIT_ARCH_X86_64, UNAME), "errnoRet defaults to EPERM");
        assertEquals(ALLOW, bpf.run(AUDIT_ARCH_X86_64, GETPID));
        assertEquals(0, f.flags());
        assertFalse(f.hasListener());
    }

    @Test
    void defaultErrnoRetIsTheDefaultActionsErrno() {
        SeccompFilter f = compile("""
                {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
                 "syscalls": [{"names": ["getpid", "execve"], "action": "SCMP_ACT_ALLOW"}]}""");
        BpfInterpreter bpf = new BpfInterpreter(f.program());
        assertEquals(ALLOW, bpf.run(AUDIT_ARCH_X86_64, GETPID));
        assertEquals(errno(38), bpf.run(AUDIT_ARCH_X86_64, REBOOT));
    }

    @Test
    void everyActionCompilesToItsKernelValue() {
        SeccompFilter f = compile("""
                {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock", "syscalls": [
                  {"names": ["read"], "action": "SCMP_ACT_KILL"},
                  {"names": ["getpid"], "action": "SCMP_ACT_KILL_PROCESS"},
                  {"names": ["uname"], "action": "SCMP_ACT_KILL_THREAD"},
                  {"names": ["socket"], "action": "SCMP_ACT_TRAP"},
                  {"names": ["mkdir"], "action": "SCMP_ACT_TRACE", "errnoRet": 7},
                  {"names": ["reboot"], "action": "SCMP_ACT_LOG"},
                  {"names": ["getpriority"], "action": "SCMP_ACT_NOTIFY"},
                  {"names": ["execve"], "action": "SCMP_ACT_ALLOW"}]}""");
        BpfInterpreter bpf = new BpfInterpreter(f.program());
        assertEquals(KILL_THREAD, bpf.run(AUDIT_ARCH_X86_64, READ));
        assertEquals(KILL_PROCESS, bpf.run(AUDIT_ARCH_X86_64, GETPID));
        assertEquals(KILL_THREAD, bpf.run(AUDIT_ARCH_X86_64, UNAME));
        assertEquals(TRAP, bpf.run(AUDIT_ARCH_X86_64, SOCKET));
        assertEquals(0x7ff00000 | 7, bpf.run(AUDIT_ARCH_X86_64, MKDIR));
        assertEquals(LOG, bpf.run(AUDIT_ARCH_X86_64, REBOOT));
        assertEquals(NOTIFY, bpf.run(AUDIT_ARCH_X86_64, GETPRIORITY));
        assertEquals(ALLOW, bpf.run(AUDIT_ARCH_X86_64, EXECVE));
        assertTrue(f.hasListener(), "a notify rule asks seccomp(2) for a listener");
        assertEquals("/run/agent.sock", f.listenerPath());
    }

    @Test
    void conditionsOnDifferentArgumentsMustAllHold() {
        SeccompFilter f = compile("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
                  {"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 22, "args": [
                    {"index": 0, "value": 16, "op": "SCMP_CMP_EQ"},
                    {"index": 2, "value": 9, "op": "SCMP_CMP_EQ"}]}]}""");
        BpfInterpreter bpf = new BpfInterpreter(f.program());
        assertEquals(errno(22), bpf.run(AUDIT_ARCH_X86_64, SOCKET, 16, 3, 9));
        assertEquals(ALLOW, bpf.run(AUDIT_ARCH_X86_64, SOCKET, 16, 3, 0));
        assertEquals(ALLOW, bpf.run(AUDIT_ARCH_X86_64, SOCKET, 2, 3, 9));
    }

    @Test
    void conditionsRepeatingAnArgumentBecomeAlternatives() {
        // libseccomp takes one condition per argument in a rule; runc splits such a rule, so either matches
        SeccompFilter f = compile("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
                  {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [
                    {"index": 0, "value": 8, "op": "SCMP_CMP_EQ"},
                    {"index": 0, "value": 9, "op": "SCMP_CMP_EQ"}]}]}""");
        BpfInterpreter bpf = new BpfInterpreter(f.program());
        assertEquals(errno(1), bpf.run(AUDIT_ARCH_X86_64, PERSONALITY, 8));
        assertEquals(errno(1), bpf.run(AUDIT_ARCH_X86_64, PERSONALITY, 9));
        assertEquals(ALLOW, bpf.run(AUDIT_ARCH_X86_64, PERSONALITY, 10));
    }

    @Test
    void everyOperatorComparesTheWholeUnsigned64BitArgument() {
        SeccompFilter f = compile("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
                  {"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "args": [{"index": 0, "value": 5, "op": "SCMP_CMP_NE"}]},
                  {"names": ["write"], "action": "SCMP_ACT_ERRNO", "errnoRet": 2, "args": [{"index": 1, "value": 4294967296, "op": "SCMP_CMP_LT"}]},
                  {"names": ["getpriority"], "action": "SCMP_ACT_ERRNO", "errnoRet": 3, "args": [{"index": 0, "value": 7, "op": "SCMP_CMP_LE"}]},
                  {"names": ["uname"], "action": "SCMP_ACT_ERRNO", "errnoRet": 4, "args": [{"index": 0, "value": 18446744073709551615, "op": "SCMP_CMP_EQ"}]},
                  {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5, "args": [{"index": 1, "value": 8, "op": "SCMP_CMP_GE"}]},
                  {"names": ["reboot"], "action": "SCMP_ACT_ERRNO", "errnoRet": 6, "args": [{"index": 2, "value": 8, "op": "SCMP_CMP_GT"}]},
                  {"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 7, "args": [{"index": 1, "value": 15, "valueTwo": 3, "op": "SCMP_CMP_MASKED_EQ"}]}]}""");
        BpfInterpreter bpf = new BpfInterpreter(f.program());
        assertEquals(errno(1), bpf.run(AUDIT_ARCH_X86_64, READ, 4));
        assertEquals(ALLOW, bpf.run(AUDIT_ARCH_X86_64, READ, 5));
        assertEquals(errno(2), bpf.run(AUDIT_ARCH_X86_64, WRITE, 0, 4294967295L));
        assertEquals(ALLOW, bpf.run(AUDIT_ARCH_X86_64, WRITE, 0, 4294967296L), "the high word counts");
        assertEquals(errno(3), bpf.run(AUDIT_ARCH_X86_64, GETPRIORITY, 7));
        assertEquals(ALLOW, bpf.run(AUDIT_ARCH_X86_64, GETPRIORITY, 8));
        assertEquals(errno(4), bpf.run(AUDIT_ARCH_X86_64, UNAME, -1L), "uint64 max arrives as -1");
        assertEquals(ALLOW, bpf.run(AUDIT_ARCH_X86_64, UNAME, 0xffffffffL));
        assertEquals(errno(5), bpf.run(AUDIT_ARCH_X86_64, MKDIR, 0, 8));
        assertEquals(ALLOW, bpf.run(AUDIT_ARCH_X86_64, MKDIR, 0, 7));
        assertEquals(errno(6), bpf.run(AUDIT_ARCH_X86_64, REBOOT, 0, 0, 9));
        assertEquals(ALLOW, bpf.run(AUDIT_ARCH_X86_64, REBOOT, 0, 0, 8));
        assertEquals(errno(7), bpf.run(AUDIT_ARCH_X86_64, SOCKET, 0, 0x33));
        assertEquals(ALLOW, bpf.run(AUDIT_ARCH_X86_64, SOCKET, 0, 0x34));
    }

    @Test
    void aCallFromAnArchitectureNotInTheFilterIsKilled() {
        SeccompFilter nativeOnly = compile("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_ERRNO"}]}""");
        assertEquals(KILL_THREAD, new BpfInterpreter(nativeOnly.program()).run(AUDIT_ARCH_I386, 122));
        SeccompFilter withX86 = compile("""
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
                 "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_ERRNO"}]}""");
        BpfInterpreter bpf = new BpfInterpreter(withX86.program());
        assertEquals(errno(1), bpf.run(AUDIT_ARCH_I386, 122), "uname is 122 on i386");
        assertEquals(ALLOW, bpf.run(AUDIT_ARCH_I386, UNAME));
    }

    @Test
    void flagsBecomeSeccompFilterFlags() {
        SeccompFilter f = compile("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"]}""");
        assertEquals(1 | 2 | 4, f.flags());
        SeccompFilter notify = compile("""
                {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/a", "listenerMetadata": "m",
                 "flags": ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
                 "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}""");
        assertEquals(1 | 8 | 16 | 32, notify.flags(), "TSYNC with a listener needs TSYNC_ESRCH");
        assertEquals("m", notify.listenerMetadata());
        SeccompFilter noListener = compile("""
                {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/a",
                 "flags": ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]}""");
        assertEquals(0, noListener.flags(), "the kernel refuses WAIT_KILLABLE_RECV without a listener");
        assertNull(noListener.listenerPath(), "listenerPath is ignored without a notify rule");
    }

    @Test
    void aRuleWithTheDefaultActionIsLeftOut() {
        SeccompFilter f = compile("""
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
                  {"names": ["execve"], "action": "SCMP_ACT_ALLOW"},
                  {"names": ["uname"], "action": "SCMP_ACT_ERRNO"},
                  {"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 9}]}""");
        BpfInterpreter bpf = new BpfInterpreter(f.program());
        assertEquals(errno(1), bpf.run(AUDIT_ARCH_X86_64, UNAME));
        assertEquals(errno(9), bpf.run(AUDIT_ARCH_X86_64, GETPID));
    }

    @Test
    void theProfilePodmanShipsCompilesAndDecidesAsItSays() {
        assumeTrue(java.nio.file.Files.exists(PodmanSeccompProfile.INSTALLED), "golang-github-containers-common");
        List<String> runcDefaultCaps = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
        ObjectNode profile = PodmanSeccompProfile.convertInstalled(runcDefaultCaps);
        SeccompFilter f = new SeccompCompiler(Libseccomp.load(), SeccompCompiler.kernelActions())
                .compile(seccomp(profile));
        BpfInterpreter bpf = new BpfInterpreter(f.program());
        assertEquals(ALLOW, bpf.run(AUDIT_ARCH_X86_64, EXECVE));
        assertEquals(ALLOW, bpf.run(AUDIT_ARCH_X86_64, GETPID));
        assertEquals(errno(38), bpf.run(AUDIT_ARCH_X86_64, ADD_KEY), "not listed: the default, ENOSYS");
        assertEquals(errno(1), bpf.run(AUDIT_ARCH_X86_64, FINIT_MODULE), "listed with EPERM without CAP_SYS_MODULE");
        assertEquals(errno(1), bpf.run(AUDIT_ARCH_X86_64, KEXEC_LOAD), "listed with EPERM");
        assertEquals(ALLOW, bpf.run(AUDIT_ARCH_X86_64, PERSONALITY, 8), "PER_LINUX32 is allowed");
        assertEquals(errno(38), bpf.run(AUDIT_ARCH_X86_64, PERSONALITY, 1), "other personalities are not");
        assertEquals(ALLOW, bpf.run(AUDIT_ARCH_X86_64, SOCKET, 16, 3, 9), "audit sockets: CAP_AUDIT_WRITE is bounding");

        ObjectNode withoutAudit = PodmanSeccompProfile.convertInstalled(List.of("CAP_KILL"));
        BpfInterpreter strict = new BpfInterpreter(new SeccompCompiler(Libseccomp.load(), Set.of())
                .compile(seccomp(withoutAudit)).program());
        assertEquals(errno(22), strict.run(AUDIT_ARCH_X86_64, SOCKET, 16, 3, 9), "AF_NETLINK, NETLINK_AUDIT: EINVAL");
        assertEquals(ALLOW, strict.run(AUDIT_ARCH_X86_64, SOCKET, 2, 1, 0), "AF_INET sockets stay allowed");
    }

    // ---- refusals, each naming its field ----

    @Test
    void anUnknownSystemCallNameIsRefusedWithItsPointer() {
        JrunException e = refused("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
                  {"names": ["getpid"], "action": "SCMP_ACT_ERRNO"},
                  {"names": ["uname", "no_such_call"], "action": "SCMP_ACT_ERRNO"}]}""");
        assertEquals("config.json: /linux/seccomp/syscalls/1/names/1: unknown system call \"no_such_call\" (libseccomp "
                + Libseccomp.load().version() + " does not know it)", e.getMessage());
    }

    @Test
    void unknownActionsOperatorsArchitecturesAndFlagsAreRefusedWithTheirPointers() {
        assertTrue(refused("{\"defaultAction\": \"SCMP_ACT_NOPE\"}").getMessage()
                .startsWith("config.json: /linux/seccomp/defaultAction: unknown seccomp action \"SCMP_ACT_NOPE\""));
        assertTrue(refused("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_BLOCK"}]}""")
                .getMessage().startsWith("config.json: /linux/seccomp/syscalls/0/action: unknown seccomp action"));
        assertTrue(refused("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_ERRNO",
                  "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 1, "op": "SCMP_CMP_ROUGHLY"}]}]}""")
                .getMessage().startsWith("config.json: /linux/seccomp/syscalls/0/args/1/op: unknown operator"));
        assertTrue(refused("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_Z80\"]}")
                .getMessage().startsWith("config.json: /linux/seccomp/architectures/1: unknown architecture \"SCMP_ARCH_Z80\""));
        assertTrue(refused("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_FAST\"]}")
                .getMessage().startsWith("config.json: /linux/seccomp/flags/0: unknown seccomp flag"));
    }

    @Test
    void moreThanSixConditionsOrAnIndexAboveFiveAreRefused() {
        StringBuilder args = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            args.append(i == 0 ? "" : ",").append("{\"index\": ").append(i % 6).append(", \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}");
        }
        assertEquals("config.json: /linux/seccomp/syscalls/0/args: 7 argument conditions; a system call has at most 6 "
                + "arguments, so a rule takes at most 6", refused("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": "
                + "[{\"names\": [\"uname\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [" + args + "]}]}").getMessage());
        assertEquals("config.json: /linux/seccomp/syscalls/0/args/0/index: 6 is not a system call argument index (0 to 5)",
                refused("""
                        {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_ERRNO",
                          "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}""").getMessage());
    }

    @Test
    void anErrnoOnAnActionWithoutOneIsRefused() {
        assertEquals("config.json: /linux/seccomp/syscalls/0/errnoRet: SCMP_ACT_ALLOW does not return an errno; only "
                + "SCMP_ACT_ERRNO and SCMP_ACT_TRACE take one", refused("""
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_ALLOW", "errnoRet": 5}]}""")
                .getMessage());
        assertTrue(refused("{\"defaultAction\": \"SCMP_ACT_KILL\", \"defaultErrnoRet\": 1}").getMessage()
                .startsWith("config.json: /linux/seccomp/defaultErrnoRet: SCMP_ACT_KILL does not return an errno"));
    }

    @Test
    void notifyNeedsAListenerPathAndCannotBeTheDefaultNorCoverTheInitsOwnCalls() {
        assertTrue(refused("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}""")
                .getMessage().startsWith("config.json: /linux/seccomp/listenerPath: a rule uses SCMP_ACT_NOTIFY"));
        assertTrue(refused("{\"defaultAction\": \"SCMP_ACT_NOTIFY\", \"listenerPath\": \"/a\"}").getMessage()
                .startsWith("config.json: /linux/seccomp/defaultAction: SCMP_ACT_NOTIFY cannot be the default action"));
        assertTrue(refused("""
                {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/a",
                 "syscalls": [{"names": ["mkdir", "write"], "action": "SCMP_ACT_NOTIFY"}]}""")
                .getMessage().startsWith("config.json: /linux/seccomp/syscalls/0/names/1: SCMP_ACT_NOTIFY cannot be used for write"));
        assertTrue(refused("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerMetadata\": \"x\"}").getMessage()
                .startsWith("config.json: /linux/seccomp/listenerMetadata: must not be set without listenerPath"));
    }

    @Test
    void anActionTheKernelLacksIsRefusedBeforeAnyProcessExists() {
        SeccompCompiler oldKernel = new SeccompCompiler(Libseccomp.load(), Set.of("kill_thread", "trap", "errno", "allow"));
        JrunException e = assertThrows(JrunException.class, () -> oldKernel.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_LOG"}]}""")));
        assertTrue(e.getMessage().startsWith("config.json: /linux/seccomp/syscalls/0/action: SCMP_ACT_LOG needs the "
                + "kernel's log action, which this kernel lacks"), e.getMessage());
    }

    @Test
    void aHostWithoutLibseccompIsToldWhatToInstall() {
        JrunException e = assertThrows(JrunException.class, () -> Libseccomp.open("libseccomp.so.999"));
        assertEquals("config.json: /linux/seccomp: a seccomp filter needs libseccomp.so.999, which is not installed on "
                + "this host (e.g. apt-get install libseccomp2, dnf install libseccomp)", e.getMessage());
    }

    @Test
    void aFilterThatStopsExecveIsRefusedForTheProcessCouldNeverStart() {
        assertEquals("config.json: /linux/seccomp: the filter does not let execve through, so the container's process "
                + "could never start (jrun installs the filter just before it execs the process): allow execve",
                refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}")
                        .getMessage());
        assertTrue(refused("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["execve"], "action": "SCMP_ACT_KILL"}]}""")
                .getMessage().contains("does not let execve through"));
        // conditional allowance is the profile author's business
        compile("""
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["execve"], "action": "SCMP_ACT_ALLOW",
                  "args": [{"index": 2, "value": 0, "op": "SCMP_CMP_NE"}]}]}""");
    }
}
