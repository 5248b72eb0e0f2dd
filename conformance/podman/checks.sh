# Checks that conformance/podman/run (podman as root) and conformance/podman-rootless/run (podman
# as an ordinary user) share (sourced, bash, after lib.sh). They drive podman through the
# caller's pm function and podman_cmd array, with its limits array and $image.

# exit_status_checks: the container's exit status, and the statuses podman gives a command the
# runtime cannot start (it maps the runtime's "no such file"/"not found" to 127 and "permission
# denied" to 126, as runc words them at create time).
exit_status_checks() {
    expect "the exit status propagates (sh -c 'exit 3')" 3 "" \
        pm run --rm --network none "${limits[@]}" $image sh -c 'exit 3'
    expect "a missing command fails at create with status 127" 127 "" \
        pm run --rm --network none "${limits[@]}" $image /nonexistent
    expect "a command not in PATH fails at create with status 127" 127 "" \
        pm run --rm --network none "${limits[@]}" $image nonexistent
    expect "a directory as the command fails at create with status 126" 126 "" \
        pm run --rm --network none "${limits[@]}" $image /etc
}

# detached_checks [RUN ARGS...]: detached containers (run with RUN ARGS): ps, inspect's pid,
# stop (SIGTERM, then SIGKILL after the timeout; SIGTERM to a shell that traps it), rm.
detached_checks() {
    local out rc status pid start took result logs
    check "run -d sleep 100" pm run -d --name sleeper "$@" "${limits[@]}" $image sleep 100
    status=$(pm ps --filter name=sleeper --format '{{.Status}}' 2>&1)
    case $status in
    Up*) pass "podman ps shows the container running" ;;
    *) fail "podman ps shows the container running" "status: $status" "$(pm ps -a 2>&1)" ;;
    esac
    pid=$(pm inspect --format '{{.State.Pid}}' sleeper 2>&1)
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sleep ]; then
        pass "podman inspect gives the container's pid (the runtime's pid file)"
    else
        fail "podman inspect gives the container's pid (the runtime's pid file)" "pid: $pid"
    fi

    # sleep is the container's pid 1 and has no SIGTERM handler: the kernel ignores SIGTERM, so
    # only the SIGKILL after the timeout ends it.
    start=$SECONDS
    out=$(pm stop --time 2 sleeper 2>&1)
    rc=$?
    took=$((SECONDS - start))
    result=$(pm inspect --format '{{.State.Status}} {{.State.ExitCode}}' sleeper 2>&1)
    if [ $rc -eq 0 ] && [ "$result" = "exited 137" ] && [ $took -ge 2 ]; then
        pass "podman stop: SIGTERM, then SIGKILL after the timeout (exit 137)"
    else
        fail "podman stop: SIGTERM, then SIGKILL after the timeout (exit 137)" \
            "exit status $rc after ${took}s: $out" "state: $result"
    fi

    check "run -d a shell that traps SIGTERM" pm run -d --name trapper "$@" "${limits[@]}" $image \
        sh -c 'trap "echo got TERM; exit 7" TERM; echo ready; while :; do sleep 0.1; done'
    trapper_ready() { pm logs trapper 2>/dev/null | grep -q ready; }
    wait_for 30 trapper_ready
    out=$(pm stop --time 60 trapper 2>&1)
    rc=$?
    result=$(pm inspect --format '{{.State.Status}} {{.State.ExitCode}}' trapper 2>&1)
    logs=$(pm logs trapper 2>&1)
    if [ $rc -eq 0 ] && [ "$result" = "exited 7" ] && [ "$logs" = "$(printf 'ready\ngot TERM')" ]; then
        pass "podman stop delivers SIGTERM to the container's process"
    else
        fail "podman stop delivers SIGTERM to the container's process" "exit status $rc: $out" \
            "state: $result" "logs: $logs"
    fi

    check "podman rm" pm rm sleeper trapper
}

# tty_run_check: podman finds a terminal on its stdin (pty-drive's), puts it in raw mode and
# relays it to the container's terminal, whose master the runtime sent to conmon over
# --console-socket. (No `timeout` in front of podman here: it would put podman in a background
# process group, and reading the terminal would stop it with SIGTTIN; pty-drive has its own time
# limit.)
tty_run_check() {
    expect_tty "run -it sh on a terminal: /dev/pts/0, the container's hostname, typed commands run, exit 3" 3 \
        "$(printf '%s\n' /dev/pts/0 jrun-tty marker-42)" 'hostname; tty; echo marker-$((6*7)); exit 3' \
        "${podman_cmd[@]}" run -it --rm --name tty --network none --hostname jrun-tty "${limits[@]}" $image sh
    pm rm --force --time 0 tty >/dev/null 2>&1  # only there when podman did not finish
}

# exec_checks: podman has conmon run the runtime's exec (-d, --pid-file, --process, and -t with
# --console-socket for -it) in a running container, execer, which it leaves running.
exec_checks() {
    local out rc procs result
    check "run -d sleep 1000 (for exec)" pm run -d --name execer --network none "${limits[@]}" $image sleep 1000
    out=$(pm exec execer ps 2>&1)
    rc=$?
    # busybox ps: a header (PID USER ... COMMAND), then a line per process: only sleep (pid 1)
    # and ps itself.
    procs=$(printf '%s\n' "$out" | awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "COMMAND") c = i; next }
        { print ($1 == 1 ? "1" : "N"), $c }')
    if [ $rc -eq 0 ] && [ "$procs" = "$(printf '1 sleep\nN ps')" ]; then
        pass "podman exec ps: the container's processes only (sleep as pid 1, and ps)"
    else
        fail "podman exec ps: the container's processes only (sleep as pid 1, and ps)" "exit status $rc:" "$out"
    fi
    expect "podman exec: the exit status propagates (sh -c 'exit 5')" 5 "" \
        pm exec execer sh -c 'exit 5'
    expect "podman exec: stdout, stdin and the container's environment" 0 "$(printf 'from-stdin\nyes')" \
        sh -c 'echo from-stdin | "$@"' sh "${podman_cmd[@]}" exec -i -e EXEC_VAR=yes execer \
        sh -c 'cat; echo "$EXEC_VAR"'
    expect "podman exec: a missing command fails with status 127" 127 "" \
        pm exec execer /nonexistent
    expect_tty "podman exec -it sh on a terminal: /dev/pts/0, the container's processes, exit 4" 4 \
        "$(printf '%s\n' /dev/pts/0 ' *1 root .* sleep 1000' marker-42)" 'tty; ps; echo marker-$((6*7)); exit 4' \
        "${podman_cmd[@]}" exec -it execer sh
    result=$(pm inspect --format '{{.State.Status}}' execer 2>&1)
    if [ "$result" = running ]; then
        pass "the container still runs after its execs"
    else
        fail "the container still runs after its execs" "state: $result"
    fi
    out=$(pm top execer pid comm 2>&1)
    if printf '%s\n' "$out" | grep -qE '^ *1 +sleep *$'; then
        pass "podman top: the container's sleep is its pid 1"
    else
        fail "podman top: the container's sleep is its pid 1" "$out"
    fi
}

# read_only_check: podman mounts the image read-only with tmpfs on /run, /tmp and /var/tmp, each
# with runc's tmpcopyup (the image's content copied into the fresh tmpfs).
read_only_check() {
    expect "run --read-only: the image refuses writes, /tmp and /run take them" 0 \
        "$(printf 'read-only\ntmp written\nrun written')" \
        pm run --rm --read-only --network none "${limits[@]}" $image sh -c \
        'touch /x 2>/dev/null || echo read-only; echo tmp written > /tmp/f && cat /tmp/f; echo run written > /run/f && cat /run/f'
}
