package jrun.linux.cgroups;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Set;

/**
 * What checking a container's resources needs to know about the host, behind an interface so
 * that the checks are unit tested without the host's cgroups.
 */
public interface CgroupFacts {
    CgroupMode mode();

    /** v1: the controller is mounted; v2: the root offers it (cgroup.controllers). */
    boolean hasController(String controller);

    /**
     * v1: the interface file exists in its hierarchy's root (e.g. {@code blkio.weight}, which
     * only some I/O schedulers provide). v2: always true; a missing file is reported on write.
     */
    boolean hasFile(String file);

    BitSet onlineCpus();

    BitSet onlineMems();

    /** Huge page sizes as cgroup files name them: {@code 2MB}, {@code 1GB}. */
    Set<String> hugepageSizes();

    /** The running host. */
    static CgroupFacts of(CgroupHost host) {
        return new Live(host);
    }

    /** Reads /sys lazily: most configs ask nothing of cpus, nodes or huge pages. */
    final class Live implements CgroupFacts {
        private final CgroupHost host;
        private Set<String> v2Controllers;

        Live(CgroupHost host) {
            this.host = host;
        }

        @Override
        public CgroupMode mode() {
            return host.mode();
        }

        @Override
        public boolean hasController(String controller) {
            if (host.mode() == CgroupMode.V2) {
                if (v2Controllers == null) {
                    v2Controllers = CgroupFiles.readWords(host.unified().resolve("cgroup.controllers"));
                }
                return v2Controllers.contains(controller);
            }
            return host.mountOf(controller) != null;
        }

        @Override
        public boolean hasFile(String file) {
            if (host.mode() == CgroupMode.V2) {
                return true;
            }
            int dot = file.indexOf('.');
            Path mount = host.mountOf(dot < 0 ? file : file.substring(0, dot));
            return mount != null && Files.exists(mount.resolve(file));
        }

        @Override
        public BitSet onlineCpus() {
            return list("/sys/devices/system/cpu/online");
        }

        @Override
        public BitSet onlineMems() {
            // A kernel without NUMA has no node directory and one node, 0.
            BitSet nodes = list("/sys/devices/system/node/online");
            if (nodes.isEmpty()) {
                nodes.set(0);
            }
            return nodes;
        }

        @Override
        public Set<String> hugepageSizes() {
            return HugePages.sizes();
        }

        private static BitSet list(String file) {
            String s = CgroupFiles.read(Path.of(file));
            try {
                return s == null ? new BitSet() : CpuList.parse(s);
            } catch (IllegalArgumentException e) {
                return new BitSet();
            }
        }
    }
}
