# Sourced by conformance/escapes/run and by each of its tests (bash): bundles, the runtime under
# test addressed by runc's command line, and the verdict of a test. The runner sets, per test:
#   runtime  the runtime's absolute path       tdir  the test's private directory (removed after)
#   probe    the static probe (probe.c)        test_name  the test's file name, e.g. cve-2024-21626
# shellcheck source=../podman/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../podman/lib.sh"

# The time limit of every runtime command (a runtime that hangs on an attack fails its test
# instead of the whole run, and the test's output shows where it hung).
deadline=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/deadline

# rt ARGS...: the runtime under test with the test's own state directory, with a time limit.
rt() {
    "$deadline" 120 "$runtime" --root "$tdir/root" "$@"
}

# rt_with_fds REDIRECTIONS ARGS...: rt started by a shell that opened REDIRECTIONS first
# (e.g. "7<$dir"), as a caller that leaks an fd into the runtime.
rt_with_fds() {
    local redirections=$1
    shift
    "$deadline" 120 sh -c "exec $redirections; exec \"\$@\"" sh "$runtime" --root "$tdir/root" "$@"
}

# cid SUFFIX: a container id unique to this run and test: an id names machine-wide cgroups.
cid() {
    echo "esc$$-$test_name-$1"
}

# make_bundle DIR ARG...: a bundle in DIR with runc's default config (`runc spec`: three
# capabilities, no_new_privs, a read-only root, masked and read-only /proc paths), no terminal,
# the process ARG..., and the busybox rootfs with the probe as /bin/probe.
make_bundle() {
    local dir=$1
    shift
    mkdir -p "$dir" && cp -a "$busybox_rootfs" "$dir/rootfs" && cp "$probe" "$dir/rootfs/bin/probe" \
        && (cd "$dir" && runc spec) || return 1
    edit_config "$dir" '.process.terminal = false | .process.args = $args' --argjson args "$(json_array "$@")"
}

# json_array WORD...: the words as a JSON array of strings.
json_array() {
    printf '%s\0' "$@" | jq -Rs 'split("\u0000")'
}

# edit_config DIR JQ_FILTER [JQ_ARGS...]: rewrites DIR/config.json through jq.
edit_config() {
    local dir=$1 filter=$2
    shift 2
    jq "$filter" "$dir/config.json" "$@" > "$dir/config.json.new" && mv "$dir/config.json.new" "$dir/config.json"
}

# runs_at_all DIR: the bundle runs (exit status 0) before any attack is planted in it: a test
# whose containers fail for another reason (say, a runtime that refuses this host's cgroups)
# must not pass as resisting. Prints the failure.
runs_at_all() {
    local out
    out=$(rt run -b "$1" "$(cid control)" 2>&1 < /dev/null) || { echo "$out"; return 1; }
}

# cannot_judge DETAIL...: the attack could not be mounted: a FAIL line, as nothing was shown.
cannot_judge() {
    escaped "cannot judge: the bundle does not run without the attack" "$@"
}

# state_pid ID: the container's init pid from the runtime's state.
state_pid() {
    rt state "$1" | jq -r .pid
}

# wait_status ID STATUS: waits (up to 30 s) until the container's status is STATUS.
wait_status() {
    local id=$1 want=$2
    wait_for 30 sh -c "$(printf '%q ' "$runtime") --root '$tdir/root' state '$id' | grep -q '\"status\": *\"$want\"'"
}

# at_test_end COMMAND: run by the runner after the test, whatever happened (e.g. losetup -d).
at_test_end() {
    echo "$1" >> "$tdir/at-end"
}

# resisted SUMMARY: the attack got nothing: a PASS line for the test.
resisted() {
    pass "$test_name: $1"
}

# escaped SUMMARY DETAIL...: the attack got what it was after: a FAIL line for the test (a
# detail's leading newline, left by collecting details in a loop, dropped).
escaped() {
    local summary=$1 detail details=()
    shift
    for detail in "$@"; do
        details+=("${detail#$'\n'}")
    done
    fail "$test_name: $summary" "${details[@]}"
}

# remove_mount DIR DESTINATION: drops the config's mounts at DESTINATION.
remove_mount() {
    edit_config "$1" 'del(.mounts[] | select(.destination == $d))' --arg d "$2"
}

# add_bind DIR SOURCE DESTINATION: a read-write rbind of SOURCE at DESTINATION.
add_bind() {
    edit_config "$1" '.mounts += [{destination: $d, type: "bind", source: $s, options: ["rbind", "rw"]}]' \
        --arg s "$2" --arg d "$3"
}

# add_caps DIR CAP...: adds capabilities to the process's bounding, effective and permitted sets.
add_caps() {
    local dir=$1
    shift
    edit_config "$dir" '.process.capabilities |= (.bounding += $c | .effective += $c | .permitted += $c)' \
        --argjson c "$(json_array "$@")"
}
