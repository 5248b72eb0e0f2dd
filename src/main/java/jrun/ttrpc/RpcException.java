package jrun.ttrpc;

/** An error a method returns to its caller as a ttrpc status: a gRPC {@link Code} and a message. */
public final class RpcException extends Exception {
    private final int code;

    public RpcException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
