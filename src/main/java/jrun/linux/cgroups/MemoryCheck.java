package jrun.linux.cgroups;

import jrun.base.JrunException;
import jrun.spec.Resources;

/** {@code memory.checkBeforeUpdate}: a new memory limit below the current usage is refused, not forced. */
final class MemoryCheck {
    private MemoryCheck() {}

    static void beforeUpdate(Resources r, long usage, String where) {
        Resources.Memory m = r.memory();
        if (m == null || !Boolean.TRUE.equals(m.checkBeforeUpdate()) || m.limit() == null || m.limit() <= 0) {
            return;
        }
        if (m.limit() < usage) {
            throw new JrunException(where + "/memory/limit: " + m.limit() + " bytes is below the container's current "
                    + "memory usage (" + usage + " bytes); memory.checkBeforeUpdate refuses it");
        }
    }
}
