package jrun.ttrpc;

/** The gRPC status codes ttrpc carries (google.golang.org/grpc/codes), as containerd's errdefs maps them. */
public final class Code {
    public static final int OK = 0;
    public static final int UNKNOWN = 2;
    public static final int INVALID_ARGUMENT = 3;
    public static final int NOT_FOUND = 5;
    public static final int ALREADY_EXISTS = 6;
    public static final int FAILED_PRECONDITION = 9;
    public static final int RESOURCE_EXHAUSTED = 8;
    public static final int UNIMPLEMENTED = 12;
    public static final int INTERNAL = 13;
    public static final int UNAVAILABLE = 14;

    private Code() {}
}
