# Shared by conformance/podman/run and conformance/containerd/run (sourced, bash): reporting,
# isolation from the host, the runtime wrapper and the busybox image layer.
#
# Isolation: the scripts re-exec themselves in new mount and network namespaces with a tmpfs on
# /run. What the engines create there (container mounts, /run/netns files, the netavark bridge
# and its iptables rules, containerd's shim sockets and fifos) never reaches the host's
# mount table, network or /run, and goes away with the namespaces when the last process in them
# ends. Files go to one temporary directory, removed at the end; the runtime keeps its state
# there too (make_runtime_wrapper), so the scripts can check that none is left behind.

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
busybox_rootfs=$repo/bundles/busybox/rootfs

isolate_flags=()
passed=0
failed=0
skipped=0

pass() { echo "PASS $1"; passed=$((passed + 1)); }
skip() { echo "SKIP $1"; skipped=$((skipped + 1)); }

# fail CHECK DETAIL...: the check's name on the FAIL line, then its details indented, so that
# a log (and PodmanIT/ContainerdIT, which parse it) tells what went wrong.
fail() {
    local name=$1
    shift
    echo "FAIL $name"
    printf '%s\n' "$@" | sed 's/^/    /'
    failed=$((failed + 1))
}

# check NAME COMMAND...: PASS when COMMAND succeeds, else FAIL with what it printed.
check() {
    local name=$1
    shift
    local out
    if out=$("$@" 2>&1); then
        pass "$name"
    else
        fail "$name" "$out"
    fi
}

# expect NAME RC OUT COMMAND...: PASS when COMMAND exits with status RC and prints exactly OUT
# on stdout; else FAIL with the command, both statuses and its output.
expect() {
    local name=$1 want_rc=$2 want_out=$3
    shift 3
    local out rc err
    err=$(mktemp)
    out=$("$@" 2>"$err")
    rc=$?
    if [ "$rc" = "$want_rc" ] && [ "$out" = "$want_out" ]; then
        pass "$name"
    else
        fail "$name" "command: $*" "exit status: $rc (expected $want_rc)" "stdout: $out" \
            "expected stdout: $want_out" "stderr: $(cat "$err")"
    fi
    rm -f "$err"
}

# expect_tty NAME RC LINES INPUT COMMAND...: runs COMMAND on a new terminal (pty-drive), waits
# for a root shell's prompt ("# "), types the line INPUT, and PASSes when COMMAND exits with
# status RC and each of LINES (newline-separated extended regular expressions) matches a whole
# line that the terminal showed; else FAIL with the transcript. SKIP when python3 is missing.
expect_tty() {
    local name=$1 want_rc=$2 want_lines=$3 input=$4
    shift 4
    if ! command -v python3 >/dev/null 2>&1; then
        skip "$name (python3, which drives the terminal, is not installed)"
        return
    fi
    local out rc err line missing=
    err=$(mktemp)
    out=$(cd "$work/scratch" && python3 "$repo/conformance/podman/pty-drive" --timeout 90 \
        --expect '# $' --send "$input" -- "$@" 2>"$err")
    rc=$?
    while IFS= read -r line; do
        printf '%s\n' "$out" | grep -qxE -- "$line" || missing="$missing${missing:+ }'$line'"
    done <<< "$want_lines"
    if [ "$rc" = "$want_rc" ] && [ -z "$missing" ]; then
        pass "$name"
    else
        fail "$name" "command: $*" "typed: $input" "exit status: $rc (expected $want_rc)" \
            "lines not shown: ${missing:-none}" "terminal:" "$(printf '%s\n' "$out" | sed 's/^/    /')" \
            "stderr: $(cat "$err")"
    fi
    rm -f "$err"
}

# wait_for SECONDS COMMAND...: retries COMMAND every 0.2 s until it succeeds or time runs out.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}

# summary: the totals; the script's exit status is 1 when a check failed.
summary() {
    echo "$passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ]
}

# runtime_path RUNTIME: the absolute path of the runtime to test (a path or a command name).
runtime_path() {
    local path=$1
    case $path in
    */*) path=$(cd "$(dirname "$path")" 2>/dev/null && pwd)/$(basename "$path") ;;
    *) path=$(command -v "$path") ;;
    esac
    if [ ! -x "$path" ]; then
        echo "$1: no such runtime (give the path of an executable, e.g. bin/jrun or /usr/sbin/runc)" >&2
        return 1
    fi
    echo "$path"
}

# require_root_and COMMAND...: exits 77 (skipped) naming what is missing.
require_root_and() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "SKIP all: must run as root"
        exit 77
    fi
    local c
    for c in "$@"; do
        if ! command -v "$c" >/dev/null 2>&1; then
            echo "SKIP all: $c is not installed"
            exit 77
        fi
    done
}

# isolate "$0" "$@": re-executes the script in private mount and network namespaces (once),
# with the extra unshare flags in the array isolate_flags when the script sets it.
isolate() {
    if [ -z "${JRUN_CONFORMANCE_ISOLATED-}" ]; then
        JRUN_CONFORMANCE_ISOLATED=1 exec unshare --mount --net --propagation private "${isolate_flags[@]}" -- "$@"
    fi
    mount -t tmpfs -o mode=755 jrun-conformance /run
    ip link set lo up
}

# on_exit FUNCTION: runs FUNCTION when the script ends, also on SIGINT and SIGTERM.
on_exit() {
    trap "$1" EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# make_workdir NAME: sets $work to a new temporary directory, removed by cleanup_workdir.
make_workdir() {
    work=$(mktemp -d "/tmp/jrun-$1.XXXXXX")
    mkdir -p "$work/scratch"
}

# leftover_processes: "PID COMMAND" of each process in this run's mount namespace that is not
# this shell or one of its children: engines, conmon, shims or containers that outlived their
# cleanup (they daemonize, so they are not our children).
leftover_processes() {
    local own dir pid ppid
    own=$(readlink /proc/self/ns/mnt)
    for dir in /proc/[0-9]*; do
        pid=${dir#/proc/}
        [ "$(readlink "$dir/ns/mnt" 2>/dev/null)" = "$own" ] || continue
        ppid=$(awk '/^PPid:/ { print $2 }' "$dir/status" 2>/dev/null) || continue
        case " $$ $BASHPID " in
        *" $pid "* | *" $ppid "*) continue ;;
        esac
        echo "$pid $(tr '\0' ' ' < "$dir/cmdline" 2>/dev/null)"
    done
}

# kill_leftovers: SIGKILL what leftover_processes lists (only ever processes this run started:
# they live in this run's private mount namespace).
kill_leftovers() {
    local pid rest
    leftover_processes | while read -r pid rest; do
        kill -KILL "$pid" 2>/dev/null
    done
}

# cleanup_workdir: unmounts what is still mounted under $work (deepest first), then removes it.
cleanup_workdir() {
    [ -n "${work-}" ] && [ -d "$work" ] || return 0
    local m
    awk -v w="$work" '$5 == w || index($5, w "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r |
        while read -r m; do umount -l "$m" 2>/dev/null; done
    rm -rf --one-file-system "$work"
}

# make_runtime_wrapper RUNTIME: sets $runtime_wrapper to an executable that runs RUNTIME with
# its state under $work (runc's and jrun's --root: later flags, e.g. containerd's, win), so the
# end of the run can check that no container state was left behind.
make_runtime_wrapper() {
    runtime_root=$work/runtime-root
    runtime_wrapper=$work/runtime
    printf '#!/bin/sh\nexec '"'%s' --root '%s'"' "$@"\n' "$1" "$runtime_root" > "$runtime_wrapper"
    chmod +x "$runtime_wrapper"
}

# busybox_layer FILE: writes a tar of the project's busybox rootfs (built on first use): static
# busybox, an applet symlink per command, /etc/passwd; the image both scripts run.
busybox_layer() {
    if [ ! -x "$busybox_rootfs/bin/busybox" ]; then
        "$repo/bundles/busybox/make-rootfs" >/dev/null || return 1
    fi
    tar -C "$busybox_rootfs" --owner=0 --group=0 -cf "$1" .
}

# runtime_state_left: the state files of containers still known to the runtime, if any.
runtime_state_left() {
    [ -d "$runtime_root" ] && find "$runtime_root" -name state.json
}
