/**
 * ttrpc, containerd's RPC protocol for shims: the framing (github.com/containerd/ttrpc's
 * channel.go), its request and response messages (request.proto), a server and a client over
 * unix sockets, and protobuf fields read and written on protobuf-java's coded streams (no
 * generated classes: the few messages the shim speaks are read and written by field number).
 */
package jrun.ttrpc;
