package jrun.shim;

import com.google.protobuf.InvalidProtocolBufferException;
import jrun.base.JrunException;
import jrun.state.ContainerNotFoundException;
import jrun.ttrpc.Code;
import jrun.ttrpc.RpcException;
import jrun.validation.JsonDocumentException;

/**
 * jrun's errors as the ttrpc statuses containerd's errdefs understands: a missing container is
 * NotFound, an existing id AlreadyExists, a malformed request or process spec InvalidArgument,
 * anything else jrun refuses Unknown with jrun's message (runc's shim passes runc's errors on
 * the same way).
 */
final class TaskErrors {
    private TaskErrors() {}

    static RpcException toRpc(Exception e) {
        if (e instanceof RpcException r) {
            return r;
        }
        if (e instanceof ContainerNotFoundException) {
            return new RpcException(Code.NOT_FOUND, e.getMessage());
        }
        if (e instanceof InvalidProtocolBufferException || e instanceof JsonDocumentException) {
            return new RpcException(Code.INVALID_ARGUMENT, e.getMessage());
        }
        if (e instanceof JrunException && e.getMessage() != null && e.getMessage().startsWith("container with id exists")) {
            return new RpcException(Code.ALREADY_EXISTS, e.getMessage());
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return new RpcException(Code.UNKNOWN, message);
    }
}
