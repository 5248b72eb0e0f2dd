package jrun.linux.lsm;

/**
 * A write into one of the calling thread's {@code /proc/.../attr} files that labels the process
 * at its next execve (AppArmor's {@code exec PROFILE}, SELinux's context).
 *
 * @param attrPath the host path, opened by the init before any of the container's mounts exist,
 *                 so a fake /proc in the image cannot swallow the write (CVE-2019-16884)
 * @param value    the bytes to write
 * @param pointer  the config field it comes from, for errors
 */
public record ExecLabel(String attrPath, String value, String pointer) {}
