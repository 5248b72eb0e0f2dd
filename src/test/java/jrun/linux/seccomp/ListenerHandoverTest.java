package jrun.linux.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The container process state a seccomp agent receives, in runtime-spec's shape. */
class ListenerHandoverTest {
    @Test
    void theStateNamesTheFdAndCarriesTheMetadataAndTheContainersState() {
        byte[] json = ListenerHandover.json(new ListenerHandover.ContainerProcessState("1.2.0", 4242, "agent-data",
                "c1", "creating", "/b", Map.of("k", "v")));
        assertEquals("{\"ociVersion\":\"1.2.0\",\"fds\":[\"seccompFd\"],\"pid\":4242,\"metadata\":\"agent-data\","
                + "\"state\":{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":4242,\"bundle\":\"/b\","
                + "\"annotations\":{\"k\":\"v\"}}}", new String(json, StandardCharsets.UTF_8));
    }

    @Test
    void metadataAndAnnotationsAreLeftOutWhenAbsent() {
        byte[] json = ListenerHandover.json(new ListenerHandover.ContainerProcessState("1.2.0", 7, null, "c", "creating",
                "/b", Map.of()));
        assertEquals("{\"ociVersion\":\"1.2.0\",\"fds\":[\"seccompFd\"],\"pid\":7,\"state\":{\"ociVersion\":\"1.2.0\","
                + "\"id\":\"c\",\"status\":\"creating\",\"pid\":7,\"bundle\":\"/b\"}}", new String(json, StandardCharsets.UTF_8));
    }
}
