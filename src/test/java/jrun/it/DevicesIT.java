package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The container's /dev: the default devices, linux.devices and the standard links. */
class DevicesIT extends SandboxedIT {
    @Test
    void theDefaultDevicesAreCharacterDevicesWithTheirNumbersAndMode0666() {
        // stat: %t/%T are the major and minor in hex
        String out = sandbox.inside("stat -c '%n %F %t:%T %a %u:%g' /dev/null /dev/zero /dev/full /dev/random "
                + "/dev/urandom /dev/tty");
        assertEquals("""
                /dev/null character special file 1:3 666 0:0
                /dev/zero character special file 1:5 666 0:0
                /dev/full character special file 1:7 666 0:0
                /dev/random character special file 1:8 666 0:0
                /dev/urandom character special file 1:9 666 0:0
                /dev/tty character special file 5:0 666 0:0
                """, out);
    }

    @Test
    void theDefaultDevicesWork() {
        String out = sandbox.inside("""
                echo discarded > /dev/null && echo null=$(wc -c < /dev/null)
                echo zero=$(head -c 4 /dev/zero | od -An -tx1 | tr -d ' ')
                echo full=$(echo x 2>&1 > /dev/full | grep -c 'No space left')
                echo urandom=$(head -c 16 /dev/urandom | wc -c)
                """);
        assertEquals("null=0\nzero=00000000\nfull=1\nurandom=16\n", out);
    }

    @Test
    void aLinuxDevicesEntryIsCreatedWithItsTypeNumbersModeAndOwner() {
        String out = sandbox.inside("stat -c '%n %F %t:%T %a %u:%g' /dev/fuse /dev/jrun/fifo /dev/loop-test", c -> {
            ObjectNode fuse = Configs.addDevice(c, "/dev/fuse", "c", 10, 229);
            fuse.put("fileMode", 0620);
            fuse.put("uid", 0);
            fuse.put("gid", 5);
            ObjectNode fifo = Configs.addDevice(c, "/dev/jrun/fifo", "p", 0, 0);
            fifo.put("fileMode", 0600);
            fifo.put("uid", 1000);
            fifo.put("gid", 1000);
            Configs.addDevice(c, "/dev/loop-test", "b", 7, 200).put("fileMode", 0660);
        });
        assertEquals("""
                /dev/fuse character special file a:e5 620 0:5
                /dev/jrun/fifo fifo 0:0 600 1000:1000
                /dev/loop-test block special file 7:c8 660 0:0
                """, out);
    }

    @Test
    void theStandardLinksPointIntoProcAndPtmxIntoTheContainersDevpts() {
        String out = sandbox.inside("""
                for l in fd stdin stdout stderr ptmx; do echo "$l -> $(readlink /dev/$l)"; done
                stat -c '%F %t:%T' /dev/pts/ptmx
                """);
        assertEquals("""
                fd -> /proc/self/fd
                stdin -> /proc/self/fd/0
                stdout -> /proc/self/fd/1
                stderr -> /proc/self/fd/2
                ptmx -> pts/ptmx
                character special file 5:2
                """, out);
    }
}
