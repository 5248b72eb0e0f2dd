package jrun.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.InvalidProtocolBufferException;
import jrun.base.JrunException;
import jrun.state.ContainerNotFoundException;
import jrun.ttrpc.Code;
import jrun.ttrpc.RpcException;
import jrun.validation.JsonDocumentException;
import org.junit.jupiter.api.Test;

class TaskErrorsTest {
    @Test
    void jrunErrorsMapToTheCodesContainerdUnderstands() {
        assertEquals(Code.NOT_FOUND, TaskErrors.toRpc(new ContainerNotFoundException("c1")).code());
        assertEquals(Code.ALREADY_EXISTS, TaskErrors.toRpc(new JrunException("container with id exists: c1")).code());
        assertEquals(Code.INVALID_ARGUMENT, TaskErrors.toRpc(new InvalidProtocolBufferException("bad")).code());
        assertEquals(Code.INVALID_ARGUMENT, TaskErrors.toRpc(new JsonDocumentException("process", "/args: expected an array")).code());
        RpcException other = TaskErrors.toRpc(new JrunException("config.json: /process/cwd: must be absolute"));
        assertEquals(Code.UNKNOWN, other.code());
        assertEquals("config.json: /process/cwd: must be absolute", other.getMessage(), "jrun's words reach containerd");
        RpcException kept = new RpcException(Code.FAILED_PRECONDITION, "x");
        assertEquals(kept, TaskErrors.toRpc(kept));
    }
}
