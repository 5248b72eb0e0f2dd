package jrun.ttrpc;

import com.google.protobuf.InvalidProtocolBufferException;

/** ttrpc's own messages (request.proto): Request, and Response with its google.rpc.Status. */
final class Messages {
    record Request(String service, String method, byte[] payload) {}

    record Response(int code, String message, byte[] payload) {}

    private Messages() {}

    static byte[] request(String service, String method, byte[] payload) {
        return new ProtoWriter().string(1, service).string(2, method).bytes(3, payload).toByteArray();
    }

    static Request parseRequest(byte[] data) throws InvalidProtocolBufferException {
        Fields f = Fields.parse(data);
        return new Request(f.string(1), f.string(2), f.bytes(3).toByteArray());
    }

    /** A reply: the payload on success, else the status alone. */
    static byte[] response(int code, String message, byte[] payload) {
        ProtoWriter w = new ProtoWriter();
        if (code != Code.OK) {
            w.message(1, new ProtoWriter().int64(1, code).string(2, message));
        } else {
            w.message(1, new ProtoWriter()).bytes(2, payload);
        }
        return w.toByteArray();
    }

    static Response parseResponse(byte[] data) throws InvalidProtocolBufferException {
        Fields f = Fields.parse(data);
        Fields status = f.message(1);
        return new Response(status.uint32(1), status.string(2), f.bytes(2).toByteArray());
    }
}
