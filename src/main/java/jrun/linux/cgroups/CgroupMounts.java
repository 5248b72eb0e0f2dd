package jrun.linux.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jrun.sys.ProcFiles;

/** Reads the host's cgroup mounts from mountinfo. */
final class CgroupMounts {
    private static final String ROOT = "/sys/fs/cgroup";

    private CgroupMounts() {}

    static CgroupLayout fromMountInfo(Path mountinfo) {
        try {
            // One read, ASCII (mountinfo escapes the rest as octal): readAllLines decodes and
            // buffers a character at a time, which costs milliseconds interpreted.
            return parse(List.of(ProcFiles.read(mountinfo).split("\n")));
        } catch (IOException e) {
            return new CgroupLayout(true, List.of(), null);
        }
    }

    static CgroupLayout parse(List<String> lines) {
        List<CgroupLayout.V1Hierarchy> v1 = new ArrayList<>();
        String unifiedDir = null;
        boolean unifiedAtRoot = false;
        for (String line : lines) {
            int sep = line.indexOf(" - ");
            if (sep < 0) {
                continue;
            }
            String[] pre = line.substring(0, sep).split(" ");
            String[] post = line.substring(sep + 3).split(" ");
            if (pre.length < 5 || post.length < 3) {
                continue;
            }
            String mountPoint = pre[4];
            String fsType = post[0];
            if (!mountPoint.startsWith(ROOT)) {
                continue;
            }
            if (fsType.equals("cgroup2")) {
                if (mountPoint.equals(ROOT)) {
                    unifiedAtRoot = true;
                } else {
                    unifiedDir = mountPoint.substring(ROOT.length() + 1);
                }
            } else if (fsType.equals("cgroup") && mountPoint.length() > ROOT.length()) {
                List<String> options = new ArrayList<>();
                for (String o : post[2].split(",")) {
                    if (!o.equals("rw") && !o.equals("ro") && !o.startsWith("relatime") && !o.equals("nosuid")
                            && !o.equals("nodev") && !o.equals("noexec") && !o.equals("clone_children")) {
                        options.add(o);
                    }
                }
                v1.add(new CgroupLayout.V1Hierarchy(mountPoint.substring(ROOT.length() + 1), options));
            }
        }
        return new CgroupLayout(unifiedAtRoot && v1.isEmpty(), List.copyOf(v1), unifiedDir);
    }
}
