package jrun.linux;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A mount entry's {@code options} sorted into what the kernel wants separately: mount
 * attributes (ro, nosuid, atime...), bind or rbind, propagation, and the filesystem's own
 * data ({@code mode=755}, {@code newinstance}), as runc sorts them.
 *
 * @param attrSet   MOUNT_ATTR_* bits to set
 * @param attrClear MOUNT_ATTR_* bits to clear (an explicit {@code rw}, {@code suid}, ...)
 * @param propagation one of {@link MountAttr}'s MS_* propagation types, or 0
 * @param recursivePropagation whether the propagation applies to the whole subtree (rshared...)
 * @param data the filesystem options, {@code key} or {@code key=value}, in order
 */
public record MountOptions(long attrSet, long attrClear, boolean bind, boolean recursiveBind, long propagation,
                           boolean recursivePropagation, List<String> data) {

    /**
     * What one recognised option does to the result. A method of each option rather than a
     * pattern switch over them: jrun runs interpreted, and a pattern switch spins a class on its
     * first use (~1 ms of every create) that the AOT cache does not keep.
     */
    private sealed interface Effect {
        void applyTo(Parsed p);
    }

    private record SetAttr(long attr) implements Effect {
        public void applyTo(Parsed p) {
            p.set |= attr;
            p.clear &= ~attr;
        }
    }

    private record ClearAttr(long attr) implements Effect {
        public void applyTo(Parsed p) {
            p.clear |= attr;
            p.set &= ~attr;
        }
    }

    private record Atime(long mode) implements Effect {
        public void applyTo(Parsed p) {
            p.set = (p.set & ~MountAttr.ATIME_MASK) | mode;
            p.clear |= MountAttr.ATIME_MASK;
        }
    }

    private record NoEffect() implements Effect {
        public void applyTo(Parsed p) {}
    }

    private record Bind(boolean recursive) implements Effect {
        public void applyTo(Parsed p) {
            p.bind = true;
            p.rbind |= recursive;
        }
    }

    private record Propagation(long type, boolean recursive) implements Effect {
        public void applyTo(Parsed p) {
            p.propagation = type;
            p.recursivePropagation = recursive;
        }
    }

    /** The options seen so far. */
    private static final class Parsed {
        long set;
        long clear;
        boolean bind;
        boolean rbind;
        long propagation;
        boolean recursivePropagation;
        final List<String> data = new ArrayList<>();
    }

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", MountAttr.MS_PRIVATE, "shared", MountAttr.MS_SHARED,
            "slave", MountAttr.MS_SLAVE, "unbindable", MountAttr.MS_UNBINDABLE);

    /**
     * Every option {@link #parse} gives a meaning of its own; anything else is filesystem data.
     * A table rather than a switch so that {@link #recognized()} ({@code jrun features}) lists
     * exactly what the parser knows.
     */
    private static final Map<String, Effect> OPTIONS = options();

    private static Map<String, Effect> options() {
        Map<String, Effect> m = new HashMap<>();
        flag(m, "ro", "rw", MountAttr.RDONLY);
        flag(m, "nosuid", "suid", MountAttr.NOSUID);
        flag(m, "nodev", "dev", MountAttr.NODEV);
        flag(m, "noexec", "exec", MountAttr.NOEXEC);
        flag(m, "nodiratime", "diratime", MountAttr.NODIRATIME);
        flag(m, "nosymfollow", "symfollow", MountAttr.NOSYMFOLLOW);
        m.put("relatime", new Atime(MountAttr.RELATIME));
        m.put("noatime", new Atime(MountAttr.NOATIME));
        m.put("strictatime", new Atime(MountAttr.STRICTATIME));
        // The kernel's default, or no longer meaningful.
        for (String o : List.of("atime", "norelatime", "nostrictatime", "defaults", "async", "loud", "nomand",
                "noiversion", "nolazytime")) {
            m.put(o, new NoEffect());
        }
        m.put("bind", new Bind(false));
        m.put("rbind", new Bind(true));
        PROPAGATION.forEach((name, type) -> {
            m.put(name, new Propagation(type, false));
            m.put("r" + name, new Propagation(type, true));
        });
        return Map.copyOf(m);
    }

    /** {@code on} sets the attribute, {@code off} clears it explicitly. */
    private static void flag(Map<String, Effect> m, String on, String off, long attr) {
        m.put(on, new SetAttr(attr));
        m.put(off, new ClearAttr(attr));
    }

    public static MountOptions parse(List<String> options) {
        Parsed p = new Parsed();
        for (String o : options) {
            Effect effect = OPTIONS.get(o);
            if (effect == null) {
                p.data.add(o);
            } else {
                effect.applyTo(p);
            }
        }
        return new MountOptions(p.set, p.clear, p.bind, p.rbind, p.propagation, p.recursivePropagation,
                List.copyOf(p.data));
    }

    /** The option names {@link #parse} recognises (not filesystem data), sorted. */
    public static List<String> recognized() {
        return OPTIONS.keySet().stream().sorted().toList();
    }

    public static long propagationOf(String name) {
        Long type = PROPAGATION.get(name);
        if (type == null) {
            throw new IllegalArgumentException("not a propagation type: " + name);
        }
        return type;
    }

    public boolean readonly() {
        return (attrSet & MountAttr.RDONLY) != 0;
    }
}
