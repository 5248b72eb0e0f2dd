package jrun.linux;

import java.util.List;
import jrun.spec.IdMapping;

/** Id mappings in the form /proc/PID/uid_map and gid_map take: "inside outside count" lines. */
public final class IdMapLines {
    private IdMapLines() {}

    public static String of(List<IdMapping> mappings) {
        StringBuilder b = new StringBuilder();
        for (IdMapping m : mappings) {
            b.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
        }
        return b.toString();
    }
}
