package jrun.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import jrun.base.Log;
import jrun.ttrpc.Code;
import jrun.ttrpc.Fields;
import jrun.ttrpc.ProtoWriter;
import jrun.ttrpc.RpcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task service's answers that need no container (no root): bad requests and unknown ids. */
class TaskServiceTest {
    @TempDir
    Path root;

    private TaskService service() {
        return new TaskService(new JrunRuntime(root, Log.stderr()), new Events(null, "default", m -> { }), 1234);
    }

    @Test
    void unknownContainersAreNotFound() {
        TaskService s = service();
        byte[] unknown = new ProtoWriter().string(1, "nope").toByteArray();
        for (String method : new String[] {"State", "Start", "Delete", "Kill", "Pids", "Pause", "Resume", "Wait",
                "CloseIO", "ResizePty", "Exec"}) {
            RpcException e = assertThrows(RpcException.class, () -> s.call(method, unknown), method);
            assertEquals(Code.NOT_FOUND, e.code(), method + ": " + e.getMessage());
        }
    }

    @Test
    void unknownAndUnsupportedMethodsAreUnimplemented() {
        TaskService s = service();
        assertEquals(Code.UNIMPLEMENTED, assertThrows(RpcException.class, () -> s.call("Frobnicate", new byte[0])).code());
        assertEquals(Code.UNIMPLEMENTED, assertThrows(RpcException.class, () -> s.call("Checkpoint", new byte[0])).code());
        byte[] restore = new ProtoWriter().string(1, "c1").string(2, root.toString()).string(8, "/cp").toByteArray();
        assertEquals(Code.UNIMPLEMENTED, assertThrows(RpcException.class, () -> s.call("Create", restore)).code());
    }

    @Test
    void malformedRequestsAreInvalidArguments() {
        TaskService s = service();
        assertEquals(Code.INVALID_ARGUMENT,
                assertThrows(RpcException.class, () -> s.call("State", new byte[] {0x0a, 9})).code());
        assertEquals(Code.INVALID_ARGUMENT, assertThrows(RpcException.class,
                () -> s.call("Create", new ProtoWriter().string(2, "/b").toByteArray())).code(), "no id");
        assertEquals(Code.INVALID_ARGUMENT, assertThrows(RpcException.class,
                () -> s.call("State", new ProtoWriter().uint(1, 7).toByteArray())).code(), "id of the wrong type");
    }

    /** stdout's URI decides (containerd's rule): fifo, file or binary; another scheme is refused, nothing kept. */
    @Test
    void anUnknownStdioSchemeIsAnInvalidArgument() {
        TaskService s = service();
        byte[] create = new ProtoWriter().string(1, "c1").string(2, root.toString()).string(6, "tcp://127.0.0.1:9")
                .string(7, "tcp://127.0.0.1:9").toByteArray();
        RpcException e = assertThrows(RpcException.class, () -> s.call("Create", create));
        assertEquals(Code.INVALID_ARGUMENT, e.code());
        assertEquals("unknown STDIO scheme tcp", e.getMessage());
        assertEquals(Code.NOT_FOUND, assertThrows(RpcException.class,
                () -> s.call("State", new ProtoWriter().string(1, "c1").toByteArray())).code(), "no task left");
    }

    @Test
    void connectAndShutdownWithoutContainers() throws Exception {
        TaskService s = service();
        Fields connect = Fields.parse(s.call("Connect", new ProtoWriter().string(1, "x").toByteArray()));
        assertEquals(1234, connect.uint(1));
        assertFalse(s.shutdownRequested());
        s.call("Shutdown", new byte[0]);
        assertTrue(s.shutdownRequested(), "no container left: the shim exits");
    }

    /**
     * Only after Shutdown's own reply: another request's thread finishing its reply after
     * Shutdown came must not end the shim before Shutdown's reply is out.
     */
    @Test
    void onlyTheShutdownsThreadExits() throws Exception {
        TaskService s = service();
        s.call("Shutdown", new byte[0]);
        boolean[] elsewhere = new boolean[1];
        Thread other = Thread.ofPlatform().start(() -> elsewhere[0] = s.shutdownRequested());
        other.join();
        assertFalse(elsewhere[0], "another request's thread");
        assertTrue(s.shutdownRequested(), "the thread that answered Shutdown");
    }
}
