/**
 * Network devices of {@code linux.netDevices}: rtnetlink messages built and read by hand
 * ({@link Rtnetlink}, pure), a NETLINK_ROUTE socket through jrun's FFM seam
 * ({@link NetlinkSocket}), and the move of named host interfaces into a container's network
 * namespace ({@link NetDeviceMover}). jrun never runs {@code ip} for this.
 */
package jrun.linux.net;
