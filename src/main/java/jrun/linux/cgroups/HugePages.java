package jrun.linux.cgroups;

/** Huge page sizes in the form the hugetlb controller's files use: {@code hugetlb.2MB.max}. */
final class HugePages {
    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB"};

    private HugePages() {}

    /** 2097152 → {@code 2MB}; 1073741824 → {@code 1GB} (the kernel's mem_fmt). */
    static String cgroupName(long bytes) {
        int unit = 0;
        long size = bytes;
        while (size >= 1024 && size % 1024 == 0 && unit < UNITS.length - 1) {
            size /= 1024;
            unit++;
        }
        return size + UNITS[unit];
    }
}
