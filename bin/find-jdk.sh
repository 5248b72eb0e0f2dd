# Finds a JDK 25 or newer; sourced by ../build and, when target/java is missing, by jrun.
# POSIX sh with builtins only: bin/jrun runs this on a hot path.
#
# find_jdk: sets JRUN_JDK to the home of the first JDK >= 25 among $JAVA_HOME, Temurin 25's
# Debian location, then every /usr/lib/jvm/*; returns 1 when there is none.

# jdk_major HOME: sets jdk_major to the feature release read from HOME/release (JAVA_VERSION="25.0.3").
jdk_major() {
    jdk_major=
    [ -r "$1/release" ] || return 1
    while IFS= read -r jdk_line; do
        case $jdk_line in
        JAVA_VERSION=*)
            jdk_major=${jdk_line#JAVA_VERSION=}
            jdk_major=${jdk_major#\"}
            jdk_major=${jdk_major%%[!0-9]*}
            break ;;
        esac
    done < "$1/release"
    [ -n "$jdk_major" ]
}

find_jdk() {
    for jdk_home in "${JAVA_HOME-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
        if [ -n "$jdk_home" ] && [ -x "$jdk_home/bin/java" ] && jdk_major "$jdk_home" && [ "$jdk_major" -ge 25 ]; then
            JRUN_JDK=$jdk_home
            return 0
        fi
    done
    return 1
}
