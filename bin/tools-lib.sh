# Sourced (bash) by jrun-image, jrun-net, jrun-cni-hook and jrun-detach: what each tool says and
# how. Each sets $me, its name, first.

# die MESSAGE...: the message on stderr, prefixed with the tool's name; exit status 1.
die() {
    echo "$me: $*" >&2
    exit 1
}

# show_help: the comment at the top of the tool (its usage and what it does).
show_help() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

# log_message OUTPUT: the msg of the last logrus line in OUTPUT (time=... level=... msg="..."),
# as Go tools (skopeo, umoci, runc) and jrun write their errors, unquoted; else OUTPUT as it is.
log_message() {
    local msg
    msg=$(printf '%s\n' "$1" | sed -n 's/^.*level=[a-z]* msg="\(.*\)"$/\1/p' | tail -n 1)
    printf '%s\n' "${msg:-$1}" | sed 's/\\"/"/g'
}
