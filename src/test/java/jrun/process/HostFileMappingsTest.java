package jrun.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostFileMappingsTest {
    private static final String MAPS = """
            55d0c0a00000-55d0c0a01000 r--p 00000000 fe:00 328700                     /usr/lib/jvm/jdk/bin/java
            800001000-8004a8000 rw-p 00001000 fe:00 2146708                          /opt/jrun/target/aot/create.aot
            8004a8000-800ce0000 r--p 004a8000 fe:00 2146708                          /opt/jrun/target/aot/create.aot
            7f0000000000-7f0000021000 rw-p 00000000 00:00 0
            7fea60000000-7fea68b33000 r--s 00000000 fe:00 328734                     /usr/lib/jvm/jdk/lib/modules
            7fea6c000000-7fea6d08c000 r-xp 002e3000 fe:00 328747                     /usr/lib/jvm/jdk/lib/server/libjvm.so
            7fea6d08c000-7fea6d08d000 ---p 013af000 fe:00 328747                     /usr/lib/jvm/jdk/lib/server/libjvm.so
            7fea6e000000-7fea6e001000 r-xp 00000000 00:01 1234                       /memfd:jrun-mapped (deleted)
            7fea6f000000-7fea6f001000 rw-p 00000000 fe:00 4444                       /tmp/a file (deleted)
            7ffd1c3c2000-7ffd1c3e3000 rw-p 00000000 00:00 0                          [stack]
            7ffd1c400000-7ffd1c401000 rw-p 00000000 00:00 0                          [anon:a/b]
            """;

    @Test
    void everyFileMappingButTheLaunchersAndMemfdsIsFound() {
        List<HostFileMappings.Mapping> found = HostFileMappings.fileMappings(MAPS, "/usr/lib/jvm/jdk/bin/java",
                "/usr/lib/jvm/jdk/lib/modules");
        assertEquals(List.of("/opt/jrun/target/aot/create.aot", "/opt/jrun/target/aot/create.aot",
                "/usr/lib/jvm/jdk/lib/modules", "/usr/lib/jvm/jdk/lib/server/libjvm.so",
                "/usr/lib/jvm/jdk/lib/server/libjvm.so", "/tmp/a file (deleted)"),
                found.stream().map(HostFileMappings.Mapping::path).toList());
        HostFileMappings.Mapping rw = found.get(0);
        assertEquals(0x800001000L, rw.start());
        assertEquals(0x8004a8000L - 0x800001000L, rw.size());
        assertEquals(3, rw.prot());
        assertEquals(1, found.get(2).prot());
        assertEquals(true, found.get(2).shared());
        assertEquals(5, found.get(3).prot());
        assertEquals(0, found.get(4).prot());
    }
}
