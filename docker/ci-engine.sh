#!/usr/bin/env bash
# A private Docker engine for the Docker half of the test suite, on hosts that have none.
#
#   ci-engine.sh up            install Debian's docker.io and docker-compose when missing, start a
#                              private dockerd on its own socket; prints "export DOCKER_HOST=..."
#   ci-engine.sh images        (engine up) make the base images when the registry is unreachable
#                              (debootstrap | docker import), then build the Asterisk image;
#                              prints the build settings as "export NAME=..." lines
#   ci-engine.sh prepare       up + images + the compose stack's images: the slow part, which
#                              CI runs beside the rootfs half of the suite (.ci/run)
#   ci-engine.sh down          stop every container of the private engine and the engine itself
#   ci-engine.sh test [ARGS]   up + images + the Docker ITs on containerized Asterisk + down;
#                              ARGS go to Maven through ./pingdialer test (default: the ITs
#                              tagged "docker" and "compose")
#   ci-engine.sh suite         what CI runs (.ci/run): ./pingdialer test (the whole suite on the
#                              rootfs runtime) while "prepare" runs beside it at low priority,
#                              then "test" (the Docker half)
#
# The engine never listens on the default socket (/var/run/docker.sock): the test suite and
# `pingdialer stack up` switch to Docker when `docker info` answers, so an engine there would move
# every other job on this machine to Docker by surprise. It runs with --bridge=none and
# --iptables=false: every container of ours uses the host network on loopback addresses.
#
# State: ${PINGDIALER_CACHE:-~/.cache/pingdialer}/docker-engine (socket, data root, logs). The
# data root is kept between runs, so built images are reused while their Dockerfiles are unchanged
# (the image tags carry the Dockerfile's hash). Needs root and apt-get (to install what is missing).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT="$(dirname "$SCRIPT_DIR")"
CACHE="${PINGDIALER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pingdialer}"
ENGINE="$CACHE/docker-engine"
SOCKET="$ENGINE/docker.sock"
export DOCKER_HOST="unix://$SOCKET"
# Debian's docker client (20.10, like the engine); a newer client elsewhere on PATH may lack the
# legacy builder that this engine and docker-compose v1 use.
DOCKER=/usr/bin/docker
# The JDK the controller image copies when the registry is unreachable (as ./pingdialer picks it).
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
# Base images made here are tagged with this prefix (never pulled).
LOCAL=pingdialer-local

die() {
  echo "ci-engine: $*" >&2
  exit 1
}
say() { echo "ci-engine: $*" >&2; }

engine_answers() { "$DOCKER" info --format '{{.ServerVersion}}' >/dev/null 2>&1; }

install_missing() {
  local packages=()
  [ -x /usr/sbin/dockerd ] && [ -x /usr/bin/docker ] || packages+=(docker.io)
  command -v docker-compose >/dev/null 2>&1 || packages+=(docker-compose)
  command -v debootstrap >/dev/null 2>&1 || packages+=(debootstrap)
  [ ${#packages[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "not installed: ${packages[*]}; install as root: sudo apt-get install ${packages[*]}"
  say "installing ${packages[*]}"
  # The packages' own service must not start: that would be an engine on the default socket.
  local guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' >"$guard"
    chmod 755 "$guard"
  fi
  local started
  started=$(date +%s)
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${packages[@]}" >&2 || {
    [ -z "$guard" ] || rm -f "$guard"
    die "apt-get install ${packages[*]} failed"
  }
  [ -z "$guard" ] || rm -f "$guard"
  say "installed in $(($(date +%s) - started)) s"
}

# cgroup v1 hierarchies, as Debian's cgroupfs-mount makes them, when nothing mounted any (a clean
# chroot in its own mount namespace); on cgroup v2 hosts the unified hierarchy is enough.
ensure_cgroups() {
  if [ -f /sys/fs/cgroup/cgroup.controllers ] || [ -d /sys/fs/cgroup/devices ]; then
    return 0
  fi
  say "mounting the cgroup hierarchies (none are mounted here)"
  mountpoint -q /sys/fs/cgroup || mount -t tmpfs -o uid=0,gid=0,mode=0755 cgroup /sys/fs/cgroup
  local sys
  for sys in $(awk '!/^#/ { if ($4 == 1) print $1 }' /proc/cgroups); do
    mkdir -p "/sys/fs/cgroup/$sys"
    mountpoint -q "/sys/fs/cgroup/$sys" || mount -n -t cgroup -o "$sys" cgroup "/sys/fs/cgroup/$sys" || true
  done
}

up() {
  install_missing
  if engine_answers; then
    say "the private engine already runs ($DOCKER_HOST)"
    echo "export DOCKER_HOST=$DOCKER_HOST"
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || die "the private engine needs root"
  ensure_cgroups
  mkdir -p "$ENGINE/data" "$ENGINE/exec"
  rm -f "$SOCKET" "$ENGINE/docker.pid"
  local started
  started=$(date +%s)
  # setsid: the engine outlives this script, in its own session (down stops it by its pid file).
  setsid /usr/sbin/dockerd \
    --host "$DOCKER_HOST" \
    --data-root "$ENGINE/data" \
    --exec-root "$ENGINE/exec" \
    --pidfile "$ENGINE/docker.pid" \
    --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
    >"$ENGINE/dockerd.log" 2>&1 </dev/null &
  local attempt
  for attempt in $(seq 1 60); do
    engine_answers && break
    kill -0 $! 2>/dev/null || {
      tail -n 20 "$ENGINE/dockerd.log" >&2
      die "dockerd exited (log above; full log: $ENGINE/dockerd.log)"
    }
    sleep 1
  done
  engine_answers || die "dockerd did not answer within 60 s; see $ENGINE/dockerd.log"
  say "private engine up in $(($(date +%s) - started)) s ($("$DOCKER" info --format '{{.ServerVersion}} {{.Driver}}'))"
  echo "export DOCKER_HOST=$DOCKER_HOST"
}

down() {
  if engine_answers; then
    local ids
    ids="$("$DOCKER" ps -aq)"
    if [ -n "$ids" ]; then
      # shellcheck disable=SC2086 # a list of ids
      "$DOCKER" rm -f $ids >/dev/null 2>&1 || true
    fi
  fi
  local pid
  pid="$(cat "$ENGINE/docker.pid" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    local waited
    for waited in $(seq 1 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  # Whatever a killed engine left mounted below its directories.
  awk -v d="$ENGINE/" 'index($2 "/", d) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  rm -f "$SOCKET"
  say "private engine stopped"
}

# The Debian archive this host's apt uses (as docker/asterisk-rootfs.sh finds it).
debian_mirror() {
  if [ -n "${PINGDIALER_DEBIAN_MIRROR:-}" ]; then
    echo "$PINGDIALER_DEBIAN_MIRROR"
    return
  fi
  local uri=""
  [ -f /etc/apt/sources.list.d/debian.sources ] &&
    uri="$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  [ -z "$uri" ] && [ -f /etc/apt/sources.list ] &&
    uri="$(awk '$1 == "deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list)"
  [ -n "$uri" ] || die "cannot find the Debian mirror in /etc/apt/sources.list(.d); set PINGDIALER_DEBIAN_MIRROR"
  echo "$uri"
}

has_image() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

# A Debian base image made with debootstrap: TAG SUITE [EXTRA_PACKAGES] [--with-jdk].
debootstrap_image() {
  local tag="$1" suite="$2" include="${3:-}" jdk="${4:-}"
  has_image "$tag" && return 0
  local tmp log started script=""
  tmp="$(mktemp -d "$CACHE/base.XXXXXX")"
  log="$CACHE/$(echo "$tag" | tr '/:' '__').log"
  started=$(date +%s)
  # Bookworm's debootstrap has no script for forky; sid's works for it.
  [ -f "/usr/share/debootstrap/scripts/$suite" ] || script=/usr/share/debootstrap/scripts/sid
  say "making base image $tag from Debian $suite with debootstrap (log: $log)"
  # shellcheck disable=SC2086 # optional arguments
  if ! unshare --mount --propagation private -- \
      debootstrap --variant=minbase ${include:+--include=$include} "$suite" "$tmp" "$(debian_mirror)" $script \
      >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -rf "$tmp"
    die "debootstrap $suite failed (log above)"
  fi
  local changes=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
  if [ -n "$jdk" ]; then
    # The JDK this project builds with, where the official Temurin images keep theirs, with this
    # host's CA certificates (a network that inspects TLS needs its own CA for Maven Central).
    mkdir -p "$tmp/opt/java"
    cp -a "$JAVA_HOME" "$tmp/opt/java/openjdk"
    rm -f "$tmp/opt/java/openjdk/lib/security/cacerts"
    cp -L "$JAVA_HOME/lib/security/cacerts" "$tmp/opt/java/openjdk/lib/security/cacerts"
    changes=(--change 'ENV JAVA_HOME=/opt/java/openjdk')
    changes+=(--change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
  fi
  cp /etc/ssl/certs/ca-certificates.crt "$tmp/etc/ssl/certs/ca-certificates.crt" 2>/dev/null || true
  rm -rf "$tmp/var/cache/apt/archives/"*.deb
  tar -C "$tmp" -c . | "$DOCKER" import "${changes[@]}" - "$tag" >/dev/null
  rm -rf "$tmp"
  say "base image $tag ready in $(($(date +%s) - started)) s"
}

# Whether the public registry gives images to this engine (it does not on our CI machines).
registry_answers() { timeout 30 "$DOCKER" pull -q "$1" >/dev/null 2>&1; }

# The build settings the images, DockerRuntime and compose.yml read (their defaults are the
# official images); printed as export lines and exported here.
images() {
  engine_answers || die "the private engine is not up; run: $0 up"
  mkdir -p "$CACHE"
  : "${JAVA_HOME:?set JAVA_HOME to a JDK 25 (the controller image copies it when the registry is unreachable)}"
  if [ -z "${ASTERISK_BASE_IMAGE:-}" ] && ! registry_answers debian:forky-slim; then
    debootstrap_image "$LOCAL/debian:forky" forky
    export ASTERISK_BASE_IMAGE="$LOCAL/debian:forky"
  fi
  if [ -z "${CONTROLLER_BUILD_IMAGE:-}" ] && ! registry_answers maven:3.9-eclipse-temurin-25; then
    debootstrap_image "$LOCAL/temurin:25-bookworm" bookworm maven,ca-certificates --with-jdk
    export CONTROLLER_BUILD_IMAGE="$LOCAL/temurin:25-bookworm"
    export CONTROLLER_RUNTIME_IMAGE="${CONTROLLER_RUNTIME_IMAGE:-$LOCAL/temurin:25-bookworm}"
  fi
  # The Debian mirrors' testing suites (forky) can serve a Release file past its Valid-Until.
  export APT_OPTS="${APT_OPTS:--o Acquire::Check-Valid-Until=false}"
  local name
  for name in ASTERISK_BASE_IMAGE CONTROLLER_BUILD_IMAGE CONTROLLER_RUNTIME_IMAGE APT_OPTS; do
    [ -n "${!name:-}" ] && printf 'export %s=%q\n' "$name" "${!name}"
  done
  local started tag
  started=$(date +%s)
  tag="$(asterisk_image_tag)"
  if ! has_image "$tag"; then
    say "building the Asterisk image $tag"
    "$DOCKER" build -q --network host -t "$tag" \
      ${ASTERISK_BASE_IMAGE:+--build-arg "BASE_IMAGE=$ASTERISK_BASE_IMAGE"} \
      --build-arg "APT_OPTS=$APT_OPTS" \
      -f "$SCRIPT_DIR/Dockerfile" "$SCRIPT_DIR" >/dev/null
    say "Asterisk image $tag built in $(($(date +%s) - started)) s"
  fi
}

# The tag DockerRuntime looks for: the hash of what goes into the image (keep in step with
# org.pingdialer.lab.stack.DockerRuntime.imageTag).
asterisk_image_tag() {
  echo "pingdialer-asterisk:$(cat "$SCRIPT_DIR/Dockerfile" "$SCRIPT_DIR/asterisk-entrypoint.sh" "$SCRIPT_DIR/make-phrases.sh" | sha256sum | cut -c1-12)"
}

# Compose v2 where the client has it, else Debian's v1.
compose() {
  if "$DOCKER" compose version >/dev/null 2>&1; then
    "$DOCKER" compose "$@"
  else
    docker-compose "$@"
  fi
}

prepare() {
  local started
  started=$(date +%s)
  eval "$(up)"
  eval "$(images)"
  say "building the compose stack's images"
  compose -f "$SCRIPT_DIR/compose.yml" build -q >&2
  say "compose images built in $(($(date +%s) - started)) s since start"
  say "prepared in $(($(date +%s) - started)) s"
}

run_tests() {
  local started
  started=$(date +%s)
  eval "$(up)"
  trap down EXIT
  eval "$(images)"
  say "Docker ITs on containerized Asterisk (DOCKER_HOST=$DOCKER_HOST)"
  cd "$PROJECT"
  local args=("$@")
  [ ${#args[@]} -gt 0 ] || args=(-Dit.groups=docker,compose -Dit.excludedGroups=)
  # The suite's Docker half, through the README's test command (it installs the host programs the
  # ITs use): only the ITs, the unit tests ran in the rootfs half. The stacks are started with the
  # Docker runtime (PINGDIALER_RUNTIME=docker fails a test rather than fall back to the rootfs);
  # Debian's docker client first on PATH, as for everything here.
  PINGDIALER_RUNTIME=docker PATH="/usr/bin:$PATH" ./pingdialer test \
    -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false "${args[@]}"
  say "Docker half done in $(($(date +%s) - started)) s"
}

# suite [CMD...]: the rootfs half is CMD (default: ./pingdialer test on this host, forced to the
# rootfs runtime); .ci/run passes fresh-host with the README's test command, so that half runs in a
# clean Debian 12 root while the Docker half is prepared and run here.
suite() {
  local started prep rc=0
  local half=(env -u DOCKER_HOST PINGDIALER_RUNTIME=rootfs ./pingdialer test)
  [ "$#" -eq 0 ] || half=("$@")
  started=$(date +%s)
  cd "$PROJECT"
  # apt first, alone: two apt-get runs at once fail on dpkg's lock.
  ./docker/host-prerequisites.sh test
  install_missing
  mkdir -p "$CACHE"
  say "preparing the Docker half beside the rootfs half (log: $CACHE/ci-prepare.log)"
  nice -n 15 bash "$SCRIPT_DIR/ci-engine.sh" prepare >"$CACHE/ci-prepare.log" 2>&1 &
  prep=$!
  # The rootfs half must not find the private engine that "prepare" starts beside it.
  "${half[@]}" || rc=$?
  say "rootfs half: exit $rc after $(($(date +%s) - started)) s"
  if ! wait "$prep"; then
    tail -n 40 "$CACHE/ci-prepare.log" >&2
    bash "$SCRIPT_DIR/ci-engine.sh" down || true
    die "preparing the Docker half failed (log above: $CACHE/ci-prepare.log)"
  fi
  grep '^ci-engine:' "$CACHE/ci-prepare.log" >&2 || true
  [ "$rc" -eq 0 ] || {
    bash "$SCRIPT_DIR/ci-engine.sh" down || true
    exit "$rc"
  }
  run_tests
  say "both halves passed in $(($(date +%s) - started)) s"
}

case "${1:-}" in
  up) up ;;
  images) images ;;
  prepare) prepare ;;
  suite)
    shift
    suite "$@"
    ;;
  down) down ;;
  test)
    shift
    run_tests "$@"
    ;;
  *)
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
