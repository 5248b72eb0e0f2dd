package jrun.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import jrun.json.JsonValue;

class SemanticChecksTest {
    private static List<String> problems(String json) {
        JsonValue tree = JsonTrees.parse(json.getBytes(), "config.json");
        return ConfigLoader.validateTree(tree, null).problems().stream().map(Problem::toString).toList();
    }

    @Test
    void mountOptionsFollowThePlannersRules() {
        List<String> found = problems("""
                {"ociVersion": "1.2.0", "root": {"path": "rootfs"},
                 "mounts": [{"destination": "/t", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "tmpcopyup", "foo"]},
                            {"destination": "/b", "type": "bind", "source": "/x", "options": ["rbind", "rro", "mode=1"]},
                            {"destination": "/p", "type": "proc", "source": "proc", "options": ["idmap"]},
                            {"destination": "/ok", "type": "tmpfs", "source": "tmpfs", "options": ["rro", "size=1m", "tmpcopyup"]}]}
                """);
        assertEquals(List.of(
                "config.json: /mounts/0/options/2: \"foo\" is not a mount option jrun knows nor a parameter of tmpfs ("
                        + String.join(", ", jrun.linux.FilesystemParameters.of("tmpfs")) + ")",
                "config.json: /mounts/1/options/2: \"mode=1\" is not a mount option jrun knows (a bind mount takes no"
                        + " filesystem options)",
                "config.json: /mounts/2/options/0: idmapped mounts are bind mounts only (add \"bind\" or \"rbind\")"),
                found);
    }

    @Test
    void everyProblemIsReportedInDocumentOrder() {
        List<String> found = problems("""
                {"ociVersion": "1.2.0", "root": {"path": "rootfs"},
                 "process": {"cwd": "relative", "args": [], "terminal": 1, "user": {"uid": 0, "gid": 0},
                             "rlimits": [{"type": "RLIMIT_CPU", "soft": 1, "hard": 1}, {"type": "RLIMIT_CPU", "soft": 1, "hard": 1}]},
                 "linux": {"namespaces": [{"type": "pid"}, {"type": "pidd"}, {"type": "pid"}],
                           "uidMappings": [{"containerID": 0, "hostID": 1, "size": 1}],
                           "maskedPaths": ["/ok", "bad"]}}
                """);
        assertEquals(List.of(
                "config.json: /process/cwd: \"relative\" is not an absolute path (it must start with /)",
                "config.json: /process/args: must not be empty: its first entry names the program to run",
                "config.json: /process/terminal: expected a boolean, got an integer (1)",
                "config.json: /process/rlimits/1/type: \"RLIMIT_CPU\" is listed twice (first at /process/rlimits/0)",
                "config.json: /linux/namespaces/1/type: \"pidd\" is not one of pid, network, mount, ipc, uts, user, cgroup, time",
                "config.json: /linux/namespaces/2/type: \"pid\" is listed twice (first at /linux/namespaces/0)",
                "config.json: /linux/uidMappings: is given but the container has no user namespace; add {\"type\": \"user\"} to linux.namespaces",
                "config.json: /linux/maskedPaths/1: \"bad\" is not an absolute path (it must start with /)"), found);
    }

    @Test
    void missingRequiredMembersAreNamedByTheirOwnPointer() {
        assertEquals(List.of("config.json: /ociVersion: is required but missing", "config.json: /root: is required but missing"),
                problems("{}"));
        assertEquals(List.of("config.json: expected an object, got a string (\"config\")"), problems("\"config\""));
    }

    @Test
    void pointersEscapeSlashAndTilde() {
        assertEquals(List.of("config.json: /annotations/a~1b~0c: expected a string, got a boolean (true)"),
                problems("{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"r\"}, \"annotations\": {\"a/b~c\": true}}"));
    }

    @Test
    void sysctlsAreAllowedOnlyInTheirNamespace() {
        String base = "{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"r\"}, \"linux\": {\"namespaces\": %s, \"sysctl\": %s}}";
        String sysctls = "{\"net.ipv4.ip_forward\": \"1\", \"net/ipv4/conf/eth0.100/forwarding\": \"1\", \"kernel.sem\": \"1 2 3 4\","
                + " \"fs.mqueue.queues_max\": \"8\", \"kernel.domainname\": \"d\"}";
        assertEquals(List.of(), problems(base.formatted("[{\"type\": \"network\"}, {\"type\": \"ipc\"}, {\"type\": \"uts\"}]", sysctls)));
        List<String> found = problems(base.formatted("[{\"type\": \"ipc\"}]", sysctls));
        assertEquals(3, found.size(), found::toString);
        assertEquals("config.json: /linux/sysctl/net~1ipv4~1conf~1eth0.100~1forwarding: \"net/ipv4/conf/eth0.100/forwarding\" "
                + "belongs to the network namespace, and the container has none of its own, so setting it would change the host; "
                + "add {\"type\": \"network\"} to linux.namespaces", found.get(1));
        assertEquals(List.of("config.json: /linux/sysctl/kernel.hostname: set the hostname with the hostname field, not with sysctl"),
                problems(base.formatted("[{\"type\": \"uts\"}]", "{\"kernel.hostname\": \"h\"}")));
    }

    @Test
    void dottedSysctlSwapsSeparatorsOnlyForSlashNotation() {
        assertEquals("net.ipv4.conf.eth0/100.forwarding", SemanticChecks.dottedSysctl("net/ipv4/conf/eth0.100/forwarding"));
        assertEquals("net.ipv4.conf.eth0/100.forwarding", SemanticChecks.dottedSysctl("net.ipv4.conf.eth0/100.forwarding"));
        assertEquals("kernel.sem", SemanticChecks.dottedSysctl("kernel.sem"));
    }

    @Test
    void seccompListenerAndErrnoRules() {
        String base = "{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"r\"}, \"linux\": {\"seccomp\": %s}}";
        assertEquals(List.of("config.json: /linux/seccomp/defaultAction: SCMP_ACT_NOTIFY cannot be the default action: the "
                        + "container could not even make the system calls that reach the listener; use it in syscalls entries"),
                problems(base.formatted("{\"defaultAction\": \"SCMP_ACT_NOTIFY\", \"listenerPath\": \"/run/agent.sock\"}")));
        assertEquals(List.of("config.json: /linux/seccomp/defaultErrnoRet: is only meaningful with SCMP_ACT_ERRNO or "
                        + "SCMP_ACT_TRACE, and defaultAction is SCMP_ACT_KILL",
                        "config.json: /linux/seccomp/listenerMetadata: is only allowed together with listenerPath"),
                problems(base.formatted("{\"defaultAction\": \"SCMP_ACT_KILL\", \"defaultErrnoRet\": 1, \"listenerMetadata\": \"m\"}")));
    }

    @Test
    void namespaceRulesStayQuietWhenNamespacesAreMalformed() {
        assertEquals(List.of("config.json: /linux/namespaces: expected an array, got an object"),
                problems("{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"r\"}, \"hostname\": \"h\","
                        + " \"linux\": {\"namespaces\": {\"type\": \"uts\"}, \"uidMappings\": [{\"containerID\": 0, \"hostID\": 1, \"size\": 1}]}}"));
    }

    @Test
    void timeOffsetsCannotBeSetOnAJoinedNamespace() {
        assertEquals(List.of("config.json: /linux/timeOffsets: can only be set on a new time namespace, not on one joined by path"),
                problems("{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"r\"}, \"linux\": {\"namespaces\": "
                        + "[{\"type\": \"time\", \"path\": \"/proc/1/ns/time\"}], \"timeOffsets\": {\"boottime\": {\"secs\": 1}}}}"));
    }
}
