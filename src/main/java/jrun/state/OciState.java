package jrun.state;

import java.time.Instant;
import java.util.Map;

/**
 * A container's state as {@code jrun state} and {@code jrun list -f json} print it: runc's
 * shape, with the live status, pid 0 once stopped (runc's convention), and the owner of the
 * container's state directory ({@code list}) or "" ({@code state}, as runc prints it).
 */
public record OciState(String ociVersion, String id, int pid, ContainerStatus status, String bundle,
                       String rootfs, Instant created, Map<String, String> annotations, String owner) {

    public static OciState of(ContainerState saved, ContainerStatus live, String owner) {
        int pid = live == ContainerStatus.STOPPED ? 0 : saved.pid();
        return new OciState(saved.ociVersion(), saved.id(), pid, live, saved.bundle(), saved.rootfs(),
                saved.created(), saved.annotations(), owner == null ? "" : owner);
    }
}
