package jrun.spec;

import java.nio.charset.StandardCharsets;
import jrun.json.JsonValue;
import jrun.validation.JsonTrees;

/**
 * A config.json that sets every field the model knows, with unknown fields ("x-...") at several
 * levels. Known fields are in the writer's order and unknown ones last, so that writing the model
 * back must reproduce the document exactly.
 */
public final class FullConfig {
    public static final String JSON = """
            {
              "ociVersion": "1.2.0",
              "process": {
                "terminal": true,
                "consoleSize": {"height": 25, "width": 80},
                "user": {"uid": 1000, "gid": 1001, "umask": 18, "additionalGids": [5, 4294967295], "username": "alice", "x-user": 1},
                "args": ["/bin/sh", "-c", "echo hi"],
                "commandLine": "cmd.exe /c echo hi",
                "env": ["PATH=/bin", "TERM=xterm"],
                "cwd": "/work",
                "capabilities": {
                  "bounding": ["CAP_KILL", "CAP_CHOWN"],
                  "effective": ["CAP_KILL"],
                  "inheritable": ["CAP_SETUID"],
                  "permitted": ["CAP_KILL", "CAP_SETGID"],
                  "ambient": ["CAP_NET_RAW"]
                },
                "rlimits": [
                  {"type": "RLIMIT_NOFILE", "hard": 18446744073709551615, "soft": 1024},
                  {"type": "RLIMIT_CORE", "hard": 9223372036854775808, "soft": 0}
                ],
                "noNewPrivileges": true,
                "apparmorProfile": "jrun-default",
                "oomScoreAdj": -500,
                "scheduler": {"policy": "SCHED_DEADLINE", "nice": -5, "priority": 10,
                              "flags": ["SCHED_FLAG_RESET_ON_FORK"], "runtime": 10000000, "deadline": 20000000, "period": 30000000},
                "selinuxLabel": "system_u:system_r:container_t:s0",
                "ioPriority": {"class": "IOPRIO_CLASS_BE", "priority": 4},
                "execCPUAffinity": {"initial": "0-1", "final": "2-3,7"},
                "x-process": {"nested": [1, 2]}
              },
              "root": {"path": "rootfs", "readonly": true, "x-root": "r"},
              "hostname": "box",
              "domainname": "example.org",
              "mounts": [
                {"destination": "/proc", "type": "proc", "source": "proc"},
                {"destination": "/data", "type": "none", "source": "/srv/data", "options": ["rbind", "ro"],
                 "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
                 "gidMappings": [{"containerID": 0, "hostID": 200000, "size": 65536, "x-map": true}],
                 "x-mount": null}
              ],
              "hooks": {
                "prestart": [{"path": "/usr/bin/pre", "args": ["pre", "a"], "env": ["A=1"], "timeout": 5}],
                "createRuntime": [{"path": "/usr/bin/cr"}],
                "createContainer": [{"path": "/usr/bin/cc", "args": ["cc"]}],
                "startContainer": [{"path": "/usr/bin/sc", "env": ["B=2"]}],
                "poststart": [{"path": "/usr/bin/ps", "timeout": 1}],
                "poststop": [{"path": "/usr/bin/pst", "x-hook": "h"}, {"path": "/usr/bin/pst2"}],
                "x-hooks": []
              },
              "annotations": {"org.example/key": "value", "b": "2"},
              "linux": {
                "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
                "gidMappings": [{"containerID": 0, "hostID": 1001, "size": 1}],
                "sysctl": {"net.ipv4.ip_forward": "1", "kernel.shmmax": "4096"},
                "resources": {
                  "devices": [
                    {"allow": false, "access": "rwm"},
                    {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rw"}
                  ],
                  "memory": {"limit": 536870912, "reservation": 268435456, "swap": -1, "kernel": 1048576,
                             "kernelTCP": 2097152, "swappiness": 60, "disableOOMKiller": false, "useHierarchy": true,
                             "checkBeforeUpdate": true},
                  "cpu": {"shares": 1024, "quota": 50000, "burst": 10000, "period": 100000, "realtimeRuntime": 950000,
                          "realtimePeriod": 1000000, "cpus": "0-3", "mems": "0", "idle": 1},
                  "pids": {"limit": 100},
                  "blockIO": {
                    "weight": 500, "leafWeight": 300,
                    "weightDevice": [{"major": 8, "minor": 0, "weight": 600, "leafWeight": 200}],
                    "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1048576}],
                    "throttleWriteBpsDevice": [{"major": 8, "minor": 16, "rate": 2097152}],
                    "throttleReadIOPSDevice": [{"major": 8, "minor": 32, "rate": 100}],
                    "throttleWriteIOPSDevice": [{"major": 8, "minor": 48, "rate": 200}]
                  },
                  "hugepageLimits": [{"pageSize": "2MB", "limit": 209715200}],
                  "network": {"classID": 1048577, "priorities": [{"name": "eth0", "priority": 500}]},
                  "rdma": {"mlx5_1": {"hcaHandles": 3, "hcaObjects": 10000}},
                  "unified": {"memory.high": "1G", "io.weight": "default 100"},
                  "x-resources": 7
                },
                "cgroupsPath": "/jrun/box",
                "namespaces": [
                  {"type": "pid"},
                  {"type": "network", "path": "/var/run/netns/box"},
                  {"type": "time"}
                ],
                "devices": [
                  {"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 438, "uid": 0, "gid": 0}
                ],
                "netDevices": {"eth1": {"name": "ctr1"}, "eth2": {}},
                "seccomp": {
                  "defaultAction": "SCMP_ACT_ERRNO",
                  "defaultErrnoRet": 1,
                  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
                  "flags": ["SECCOMP_FILTER_FLAG_LOG"],
                  "listenerPath": "/run/seccomp.sock",
                  "listenerMetadata": "meta",
                  "syscalls": [
                    {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
                    {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38,
                     "args": [{"index": 0, "value": 18446744073709551615, "op": "SCMP_CMP_EQ"},
                              {"index": 1, "value": 255, "valueTwo": 8, "op": "SCMP_CMP_MASKED_EQ", "x-arg": "a"}]}
                  ]
                },
                "rootfsPropagation": "rslave",
                "maskedPaths": ["/proc/kcore", "/sys/firmware"],
                "readonlyPaths": ["/proc/sys"],
                "mountLabel": "system_u:object_r:container_file_t:s0",
                "intelRdt": {"closID": "guaranteed", "schemata": ["L3:0=ff", "MB:0=50"], "l3CacheSchema": "L3:0=ffff",
                             "memBwSchema": "MB:0=70", "enableCMT": true, "enableMBM": true, "enableMonitoring": true},
                "memoryPolicy": {"mode": "MPOL_BIND", "nodes": "0-1", "flags": ["MPOL_F_STATIC_NODES"]},
                "personality": {"domain": "LINUX32", "flags": ["FLAG"]},
                "timeOffsets": {"monotonic": {"secs": -86400, "nanosecs": 500}, "boottime": {"secs": 3600}},
                "x-linux": {"a": "b"}
              },
              "windows": {"layerFolders": ["C:\\\\layers"]},
              "x-top": [1, "two", {"three": 3}]
            }
            """;

    private FullConfig() {}

    static JsonValue tree() {
        return parse(JSON);
    }

    /** Parses as jrun does in production (the streaming parser, not databind). */
    static JsonValue parse(String json) {
        return JsonTrees.parse(json.getBytes(StandardCharsets.UTF_8), "test.json");
    }
}
