# Shared by conformance/containerd/run, conformance/containerd-shim/run and
# conformance/bench/shim-bench (sourced, bash, after ../podman/lib.sh and make_workdir): a private
# containerd, ctr on it, and the busybox image imported without a registry.
#
# Sets $ctd (the daemon's directory under $work) and $containerd_pid. ctr talks to the namespace
# $ctr_namespace (default: "default"): a namespace of its own keeps a run's cgroups
# (/NAMESPACE/ID, as ctr names them) apart from other runs on the same host.

ctd=$work/containerd
containerd_pid=
ctr_namespace=${ctr_namespace:-default}
image=localhost/busybox:latest

# c ARGS...: ctr on the private containerd.
c() {
    timeout 120 ctr --address "$ctd/containerd.sock" --namespace "$ctr_namespace" "$@"
}

# start_containerd [DIR]: starts the private containerd (its config, --root, --state and socket
# under $ctd) with DIR first on its PATH, where it finds shims (containerd-shim-NAME-v2 for the
# runtime io.containerd.NAME.v2); waits until it answers. Its output goes to $ctd/containerd.log.
start_containerd() {
    mkdir -p "$ctd"
    cat > "$ctd/config.toml" <<CONFIG
version = 2
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[plugins."io.containerd.internal.v1.opt"]
  path = "$ctd/opt"
CONFIG
    PATH=${1:+$1:}$PATH containerd --config "$ctd/config.toml" --root "$ctd/root" --state "$ctd/state" \
        --address "$ctd/containerd.sock" >> "$ctd/containerd.log" 2>&1 &
    containerd_pid=$!
    wait_for 60 c version
}

# stop_containerd: SIGTERM to the private containerd, and waits for it (its shims live on).
stop_containerd() {
    [ -n "$containerd_pid" ] || return 0
    kill -TERM "$containerd_pid" 2>/dev/null
    wait "$containerd_pid" 2>/dev/null
    containerd_pid=
}

# remove_tasks_and_containers: SIGKILL and delete every task, then remove every container.
remove_tasks_and_containers() {
    local id
    for id in $(c task ls --quiet 2>/dev/null); do
        c task kill --signal KILL "$id" >/dev/null 2>&1
        c task delete --force "$id" >/dev/null 2>&1
    done
    for id in $(c containers ls --quiet 2>/dev/null); do
        c containers rm "$id" >/dev/null 2>&1
    done
}

# remove_namespace_cgroups: kills what still runs in the cgroups of $ctr_namespace (/NAMESPACE/ID,
# as ctr names them) and removes them, so that a run whose shim broke leaves no cgroup. Only for a
# namespace of the run's own: the cgroups of "default" may be another run's.
remove_namespace_cgroups() {
    local dir
    for dir in /sys/fs/cgroup/*/"$ctr_namespace" /sys/fs/cgroup/"$ctr_namespace"; do
        [ -d "$dir" ] || continue
        cat "$dir"/*/cgroup.procs 2>/dev/null | xargs -r kill -KILL 2>/dev/null
        rmdir "$dir"/*/ "$dir" 2>/dev/null
    done
}

# oci_archive LAYER OUT: an OCI image layout (one uncompressed layer) as a tar ctr can import.
oci_archive() {
    local dir=$work/oci layer_digest config config_digest manifest manifest_digest
    mkdir -p "$dir/blobs/sha256"
    layer_digest=$(sha256sum "$1" | cut -d' ' -f1)
    cp "$1" "$dir/blobs/sha256/$layer_digest"
    config='{"architecture":"'$(dpkg --print-architecture)'","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:'$layer_digest'"]}}'
    config_digest=$(printf '%s' "$config" | sha256sum | cut -d' ' -f1)
    printf '%s' "$config" > "$dir/blobs/sha256/$config_digest"
    manifest='{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:'$config_digest'","size":'${#config}'},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:'$layer_digest'","size":'$(stat -c %s "$1")'}]}'
    manifest_digest=$(printf '%s' "$manifest" | sha256sum | cut -d' ' -f1)
    printf '%s' "$manifest" > "$dir/blobs/sha256/$manifest_digest"
    printf '%s' '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:'$manifest_digest'","size":'${#manifest}',"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}' > "$dir/index.json"
    printf '%s' '{"imageLayoutVersion":"1.0.0"}' > "$dir/oci-layout"
    tar -C "$dir" -cf "$2" .
}

# import_busybox: imports the project's busybox rootfs as $image; on failure prints why.
import_busybox() {
    busybox_layer "$work/layer.tar" && oci_archive "$work/layer.tar" "$work/busybox.oci.tar" \
        && c images import --base-name localhost/busybox "$work/busybox.oci.tar" 2>&1 >/dev/null
}

# task_status ID: the task's status as ctr task ls shows it (RUNNING, STOPPED, PAUSED, ...).
task_status() {
    c task ls 2>/dev/null | awk -v id="$1" '$1 == id { print $3 }'
}

# task_pid ID: the task's pid on the host as ctr task ls shows it.
task_pid() {
    c task ls 2>/dev/null | awk -v id="$1" '$1 == id { print $2 }'
}

task_stopped() { [ "$(task_status "$1")" = STOPPED ]; }
