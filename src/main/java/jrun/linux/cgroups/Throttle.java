package jrun.linux.cgroups;

import java.util.List;
import jrun.spec.Resources;

/** The four block I/O throttles: the spec's field, v1's file and v2's io.max key. */
enum Throttle {
    READ_BPS("throttleReadBpsDevice", "blkio.throttle.read_bps_device", "rbps"),
    WRITE_BPS("throttleWriteBpsDevice", "blkio.throttle.write_bps_device", "wbps"),
    READ_IOPS("throttleReadIOPSDevice", "blkio.throttle.read_iops_device", "riops"),
    WRITE_IOPS("throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", "wiops");

    final String field;
    final String v1File;
    final String v2Key;

    Throttle(String field, String v1File, String v2Key) {
        this.field = field;
        this.v1File = v1File;
        this.v2Key = v2Key;
    }

    List<Resources.ThrottleDevice> of(Resources.BlockIo b) {
        return switch (this) {
            case READ_BPS -> b.throttleReadBpsDevice();
            case WRITE_BPS -> b.throttleWriteBpsDevice();
            case READ_IOPS -> b.throttleReadIOPSDevice();
            case WRITE_IOPS -> b.throttleWriteIOPSDevice();
        };
    }
}
