package jrun.linux;

/** Constants of the kernel's mount API (linux/mount.h) that plans are expressed in. */
public final class MountAttr {
    public static final long RDONLY = 0x1;
    public static final long NOSUID = 0x2;
    public static final long NODEV = 0x4;
    public static final long NOEXEC = 0x8;
    /** The atime field: RELATIME is 0 within it. */
    public static final long ATIME_MASK = 0x70;
    public static final long RELATIME = 0x0;
    public static final long NOATIME = 0x10;
    public static final long STRICTATIME = 0x20;
    public static final long NODIRATIME = 0x80;
    public static final long NOSYMFOLLOW = 0x200000;

    /** Propagation types (the MS_* values mount_setattr takes). */
    public static final long MS_UNBINDABLE = 1L << 17;
    public static final long MS_PRIVATE = 1L << 18;
    public static final long MS_SLAVE = 1L << 19;
    public static final long MS_SHARED = 1L << 20;
    public static final long MS_REC = 0x4000;

    private MountAttr() {}
}
