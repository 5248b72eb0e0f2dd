package jrun.linux;

/**
 * A device file to create in the container's /dev (or any path of {@code linux.devices}).
 *
 * @param type {@code c}, {@code b} or {@code p}; the spec's {@code u} is normalised to {@code c}
 * @param mode permission bits (the file type is added from {@code type})
 * @param bindFromHost bind the host's node instead of mknod: mknod is refused in a user namespace
 */
public record DeviceNode(String path, char type, long major, long minor, int mode, long uid, long gid,
                         boolean bindFromHost, String pointer) {
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFIFO = 0010000;

    public int fileType() {
        return switch (type) {
            case 'b' -> S_IFBLK;
            case 'p' -> S_IFIFO;
            default -> S_IFCHR;
        };
    }

    /** The kernel's dev_t encoding of major:minor (glibc's makedev). */
    public long dev() {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }
}
