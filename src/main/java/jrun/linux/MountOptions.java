package jrun.linux;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A mount entry's {@code options} sorted into what the kernel wants separately, with runc 1.2's
 * meanings (libcontainer/specconv parseMountOptions): mount attributes (ro, nosuid, atime...),
 * their recursive forms (rro, rnosuid...: mount_setattr with AT_RECURSIVE), superblock flags
 * (sync, lazytime...: fsconfig flags of a new filesystem), bind or rbind, propagation,
 * runc's extensions (tmpcopyup, idmap, ridmap, remount), and the filesystem's own data
 * ({@code mode=755}, {@code newinstance}).
 *
 * @param attrSet   MOUNT_ATTR_* bits to set on the mount itself
 * @param attrClear MOUNT_ATTR_* bits to clear (an explicit {@code rw}, {@code suid}, ...)
 * @param recursiveAttrSet MOUNT_ATTR_* bits to set on the mount and every mount beneath it ({@code rro}...)
 * @param recursiveAttrClear MOUNT_ATTR_* bits to clear likewise ({@code rrw}...)
 * @param propagation one of {@link MountAttr}'s MS_* propagation types, or 0
 * @param recursivePropagation whether the propagation applies to the whole subtree (rshared...)
 * @param superblockFlags fsconfig flags for a new filesystem instance ({@code sync}, {@code nolazytime}...), in order
 * @param copyUp {@code tmpcopyup}: fill a new tmpfs with what the image has at its destination
 * @param idmap {@code idmap} or {@code ridmap}: an idmapped bind mount
 * @param recursiveIdmap {@code ridmap}: the mounts beneath a recursive bind are idmapped too
 * @param remount {@code remount}: change the mount already at the destination instead of making one
 * @param data the filesystem options, {@code key} or {@code key=value}, in order
 * @param dataPositions for each of {@code data}, its index in the options (for error pointers)
 */
public record MountOptions(long attrSet, long attrClear, long recursiveAttrSet, long recursiveAttrClear,
                           boolean bind, boolean recursiveBind, long propagation, boolean recursivePropagation,
                           List<String> superblockFlags, boolean copyUp, boolean idmap, boolean recursiveIdmap,
                           boolean remount, List<String> data, List<Integer> dataPositions) {

    /**
     * What one recognised option does to the result. A method of each option rather than a
     * pattern switch over them: jrun runs interpreted, and a pattern switch spins a class on its
     * first use (on every create) that the AOT cache does not keep.
     */
    private sealed interface Effect {
        void applyTo(Parsed p);
    }

    /** Index into {@link Parsed}'s attribute pairs: the mount itself, or its whole tree. */
    private static final int OWN = 0;
    private static final int TREE = 1;

    private record SetAttr(long attr, int level) implements Effect {
        public void applyTo(Parsed p) {
            p.set[level] |= attr;
            p.clear[level] &= ~attr;
        }
    }

    private record ClearAttr(long attr, int level) implements Effect {
        public void applyTo(Parsed p) {
            p.clear[level] |= attr;
            p.set[level] &= ~attr;
        }
    }

    /**
     * The atime field is one value, set only together with the whole field in attr_clr
     * (mount_setattr refuses a partial clear with EINVAL). runc's recursive clearing forms
     * (ratime, rnorelatime, rnostrictatime) would be refused so; here they restore the kernel's
     * default, relatime, which is what leaving the field alone means for a new mount.
     */
    private record Atime(long mode, int level) implements Effect {
        public void applyTo(Parsed p) {
            p.set[level] = (p.set[level] & ~MountAttr.ATIME_MASK) | mode;
            p.clear[level] |= MountAttr.ATIME_MASK;
        }
    }

    /** A superblock flag: fsconfig(FSCONFIG_SET_FLAG) of a new filesystem; a bind mount has none. */
    private record SuperblockFlag(String name) implements Effect {
        public void applyTo(Parsed p) {
            p.superblockFlags.add(name);
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

    private record CopyUp() implements Effect {
        public void applyTo(Parsed p) {
            p.copyUp = true;
        }
    }

    private record IdMap(boolean recursive) implements Effect {
        public void applyTo(Parsed p) {
            p.idmap = true;
            p.recursiveIdmap = recursive;
        }
    }

    private record Remount() implements Effect {
        public void applyTo(Parsed p) {
            p.remount = true;
        }
    }

    /** The options seen so far. */
    private static final class Parsed {
        final long[] set = new long[2];
        final long[] clear = new long[2];
        boolean bind;
        boolean rbind;
        long propagation;
        boolean recursivePropagation;
        boolean copyUp;
        boolean idmap;
        boolean recursiveIdmap;
        boolean remount;
        final List<String> superblockFlags = new ArrayList<>();
        final List<String> data = new ArrayList<>();
        final List<Integer> dataPositions = new ArrayList<>();
    }

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", MountAttr.MS_PRIVATE, "shared", MountAttr.MS_SHARED,
            "slave", MountAttr.MS_SLAVE, "unbindable", MountAttr.MS_UNBINDABLE);

    /**
     * Every option {@link #parse} gives a meaning of its own; anything else is filesystem data.
     * A table rather than a switch so that {@link #recognized()} ({@code jrun features}) lists
     * exactly what the parser knows. It holds runc 1.2's mountFlags, recAttrFlags,
     * extensionFlags and complexFlags tables.
     */
    private static final Map<String, Effect> OPTIONS = options();

    private static Map<String, Effect> options() {
        Map<String, Effect> m = new HashMap<>();
        flag(m, "ro", "rw", "rro", "rrw", MountAttr.RDONLY);
        flag(m, "nosuid", "suid", "rnosuid", "rsuid", MountAttr.NOSUID);
        flag(m, "nodev", "dev", "rnodev", "rdev", MountAttr.NODEV);
        flag(m, "noexec", "exec", "rnoexec", "rexec", MountAttr.NOEXEC);
        flag(m, "nodiratime", "diratime", "rnodiratime", "rdiratime", MountAttr.NODIRATIME);
        flag(m, "nosymfollow", "symfollow", "rnosymfollow", "rsymfollow", MountAttr.NOSYMFOLLOW);
        m.put("relatime", new Atime(MountAttr.RELATIME, OWN));
        m.put("noatime", new Atime(MountAttr.NOATIME, OWN));
        m.put("strictatime", new Atime(MountAttr.STRICTATIME, OWN));
        m.put("rrelatime", new Atime(MountAttr.RELATIME, TREE));
        m.put("rnoatime", new Atime(MountAttr.NOATIME, TREE));
        m.put("rstrictatime", new Atime(MountAttr.STRICTATIME, TREE));
        for (String o : List.of("ratime", "rnorelatime", "rnostrictatime")) {
            m.put(o, new Atime(MountAttr.RELATIME, TREE));
        }
        // Superblock flags: the names fsconfig itself takes (the kernel's common_set_sb_flag and
        // common_clear_sb_flag tables).
        for (String o : List.of("sync", "async", "dirsync", "lazytime", "nolazytime", "mand", "nomand")) {
            m.put(o, new SuperblockFlag(o));
        }
        // The kernel's default (atime, norelatime, nostrictatime leave relatime), a flag the new
        // mount API has no way to pass and that the filesystems supporting it now enable on their
        // own (iversion), or about the kernel log only (silent, loud).
        for (String o : List.of("atime", "norelatime", "nostrictatime", "defaults", "loud", "silent", "iversion",
                "noiversion")) {
            m.put(o, new NoEffect());
        }
        m.put("bind", new Bind(false));
        m.put("rbind", new Bind(true));
        PROPAGATION.forEach((name, type) -> {
            m.put(name, new Propagation(type, false));
            m.put("r" + name, new Propagation(type, true));
        });
        m.put("tmpcopyup", new CopyUp());
        m.put("idmap", new IdMap(false));
        m.put("ridmap", new IdMap(true));
        m.put("remount", new Remount());
        return Map.copyOf(m);
    }

    /**
     * {@code on} sets the attribute, {@code off} clears it explicitly; {@code recursiveOn} and
     * {@code recursiveOff} do the same to the whole subtree.
     */
    private static void flag(Map<String, Effect> m, String on, String off, String recursiveOn, String recursiveOff,
                             long attr) {
        m.put(on, new SetAttr(attr, OWN));
        m.put(off, new ClearAttr(attr, OWN));
        m.put(recursiveOn, new SetAttr(attr, TREE));
        m.put(recursiveOff, new ClearAttr(attr, TREE));
    }

    public static MountOptions parse(List<String> options) {
        Parsed p = new Parsed();
        for (int i = 0; i < options.size(); i++) {
            String o = options.get(i);
            Effect effect = OPTIONS.get(o);
            if (effect == null) {
                p.data.add(o);
                p.dataPositions.add(i);
            } else {
                effect.applyTo(p);
            }
        }
        return new MountOptions(p.set[OWN], p.clear[OWN], p.set[TREE], p.clear[TREE], p.bind, p.rbind, p.propagation,
                p.recursivePropagation, List.copyOf(p.superblockFlags), p.copyUp, p.idmap, p.recursiveIdmap,
                p.remount, List.copyOf(p.data), List.copyOf(p.dataPositions));
    }

    /** Whether {@link #parse} gives {@code option} a meaning of its own (it is not filesystem data). */
    public static boolean recognizes(String option) {
        return OPTIONS.containsKey(option);
    }

    /** The option names {@link #parse} recognises (not filesystem data), sorted. */
    public static List<String> recognized() {
        List<String> names = new ArrayList<>(OPTIONS.keySet());
        names.sort(null);
        return names;
    }

    public static long propagationOf(String name) {
        Long type = PROPAGATION.get(name);
        if (type == null) {
            throw new IllegalArgumentException("not a propagation type: " + name);
        }
        return type;
    }

    public boolean readonly() {
        return (attrSet & MountAttr.RDONLY) != 0 || (recursiveAttrSet & MountAttr.RDONLY) != 0;
    }
}
