package jrun.linux.cgroups;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

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

    /** The host's huge page sizes, from /sys/kernel/mm/hugepages/hugepages-<kB>kB. */
    static Set<String> sizes() {
        Set<String> sizes = new LinkedHashSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of("/sys/kernel/mm/hugepages"), "hugepages-*kB")) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                sizes.add(cgroupName(Long.parseLong(name.substring(10, name.length() - 2)) * 1024));
            }
        } catch (IOException | NumberFormatException e) {
            // no huge page support: no sizes
        }
        return sizes;
    }
}
