package jrun.shim;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import jrun.json.JsonValue;

/**
 * Where a shim listens, as containerd 1.6's runtime/v2/shim SocketAddress computes it: a unix
 * socket under /run/containerd/s named by the SHA-256 of containerd's address, the namespace and
 * the group (one shim per group).
 */
final class ShimAddress {
    static final Path SOCKET_DIR = Path.of("/run/containerd/s");
    /**
     * Annotations that put containers in one shim's group, in runc's shim's order
     * (runtime/v2/runc/v2/service.go groupLabels): containerd's own, then the CRI's pod.
     */
    static final List<String> GROUP_LABELS = List.of("io.containerd.runc.v2.group", "io.kubernetes.cri.sandbox-id");

    private ShimAddress() {}

    /** The group of a container: the first group label its spec carries, else its own id. */
    static String group(String id, JsonValue annotations) {
        if (annotations != null && annotations.isObject()) {
            for (String label : GROUP_LABELS) {
                JsonValue v = annotations.get(label);
                if (v != null && v.isString()) {
                    return v.asString();
                }
            }
        }
        return id;
    }

    /** The socket's path for containerd's {@code address}, a namespace and a group. */
    static Path socketPath(String containerdAddress, String namespace, String group) {
        // Go's filepath.Join: the parts joined by "/" and the result cleaned.
        String joined = Path.of(containerdAddress, namespace, group).normalize().toString();
        return SOCKET_DIR.resolve(Sha256.hex(joined.getBytes(StandardCharsets.UTF_8)));
    }

    /** The address as containerd reads it from the shim: {@code unix://PATH}. */
    static String uri(Path socket) {
        return "unix://" + socket;
    }
}
