#!/usr/bin/env bash
# Real Asterisk 22 on a host without a Docker engine: a cached Debian forky rootfs (debootstrap),
# started in a chroot inside a private mount namespace.
#
#   asterisk-rootfs.sh build                 build (or reuse) the rootfs; prints its path last
#   asterisk-rootfs.sh path                  print the rootfs path if built (exit 1 otherwise)
#   asterisk-rootfs.sh start INSTANCE_DIR    start Asterisk for INSTANCE_DIR/etc, wait until booted
#   asterisk-rootfs.sh stop INSTANCE_DIR     stop it (SIGTERM, then SIGKILL after 10 s)
#   asterisk-rootfs.sh status INSTANCE_DIR   exit 0 running, 3 stopped
#   asterisk-rootfs.sh cli INSTANCE_DIR CMD  run an Asterisk CLI command, e.g. "dialplan reload"
#
# INSTANCE_DIR is a host directory holding a rendered config in etc/ (etc/asterisk.conf first of
# all) and optionally a file "ports" with one "udp:N" or "tcp:N" per line to check before start.
# Inside the chroot it is bind-mounted at /pingdialer/instance, so every instance sees its own
# directory at the same path and the configs can use fixed paths. The mounts exist only in the
# instance's own mount namespace: when Asterisk exits, nothing is left mounted on the host.
#
# Cache: ${PINGDIALER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pingdialer}/rootfs-<recipe hash>.
# Needs root, debootstrap, unshare (util-linux) and the Debian mirror of this host's apt sources.
set -euo pipefail

SUITE=forky
PACKAGES="asterisk asterisk-core-sounds-en asterisk-core-sounds-en-gsm"
# Bump when the recipe changes in a way the suite and package list do not show.
RECIPE_VERSION=1

CACHE="${PINGDIALER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pingdialer}"
RECIPE_HASH="$(printf '%s|%s|%s' "$SUITE" "$PACKAGES" "$RECIPE_VERSION" | sha256sum | cut -c1-12)"
ROOT="$CACHE/rootfs-$RECIPE_HASH"
MOUNT_POINT=/pingdialer/instance

die() {
  echo "asterisk-rootfs: $*" >&2
  exit 1
}
say() { echo "asterisk-rootfs: $*" >&2; }

require_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot and mounts need it); try: sudo $0 $*"
}

# The Debian archive this host's apt already uses; never a hard-coded host.
debian_mirror() {
  local uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri="$(awk '$1 == "deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list)"
  fi
  [ -n "$uri" ] || die "cannot find the Debian mirror in /etc/apt/sources.list(.d); set PINGDIALER_DEBIAN_MIRROR"
  echo "${PINGDIALER_DEBIAN_MIRROR:-$uri}"
}

build() {
  if [ -x "$ROOT/usr/sbin/asterisk" ]; then
    echo "$ROOT"
    return 0
  fi
  require_root build
  command -v debootstrap >/dev/null 2>&1 || die "debootstrap is missing; install it: apt-get install debootstrap"
  mkdir -p "$CACHE"
  # One build at a time; a second caller waits and then finds the finished rootfs.
  exec 9>"$CACHE/rootfs.lock"
  flock 9
  if [ -x "$ROOT/usr/sbin/asterisk" ]; then
    echo "$ROOT"
    return 0
  fi
  local mirror tmp log script started
  mirror="$(debian_mirror)"
  curl -fsS --max-time 15 -o /dev/null "$mirror/dists/$SUITE/Release" 2>/dev/null \
    || wget -q -T 15 -O /dev/null "$mirror/dists/$SUITE/Release" 2>/dev/null \
    || die "the Debian mirror $mirror does not answer for $SUITE; check the network or set PINGDIALER_DEBIAN_MIRROR"
  # Bookworm's debootstrap has no forky script; sid's works for it.
  script=/usr/share/debootstrap/scripts/sid
  [ -f "$script" ] || die "no debootstrap script at $script; upgrade debootstrap"
  tmp="$CACHE/rootfs-$RECIPE_HASH.tmp"
  log="$CACHE/rootfs-$RECIPE_HASH.log"
  rm -rf "$tmp"
  started=$(date +%s)
  say "building the Debian $SUITE rootfs with Asterisk in $ROOT (about a minute, once)"
  if ! debootstrap --variant=minbase "$SUITE" "$tmp" "$mirror" "$script" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    die "debootstrap failed; full log: $log"
  fi
  # shellcheck disable=SC2086
  if ! unshare --mount --propagation private -- sh -c "
        mount --rbind /dev '$tmp/dev' && mount -t proc proc '$tmp/proc' &&
        chroot '$tmp' apt-get install -y --no-install-recommends $PACKAGES" >>"$log" 2>&1; then
    tail -n 20 "$log" >&2
    die "installing $PACKAGES in the rootfs failed; full log: $log"
  fi
  chroot "$tmp" apt-get clean >>"$log" 2>&1 || true
  mkdir -p "$tmp$MOUNT_POINT"
  mv "$tmp" "$ROOT"
  say "rootfs ready in $(( $(date +%s) - started )) s"
  echo "$ROOT"
}

instance_dir() {
  [ -n "${1:-}" ] || die "name the instance directory"
  [ -f "$1/etc/asterisk.conf" ] || die "$1/etc/asterisk.conf is missing; render the config first"
  (cd "$1" && pwd)
}

asterisk_pid() {
  local pid_file="$1/run/asterisk.pid"
  [ -f "$pid_file" ] || return 1
  local pid
  pid="$(cat "$pid_file")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # The pid file may be stale after a crash and the number reused: check it is Asterisk.
  grep -q asterisk "/proc/$pid/comm" 2>/dev/null || return 1
  echo "$pid"
}

check_ports() {
  local dir="$1" spec proto port
  [ -f "$dir/ports" ] || return 0
  while read -r spec; do
    [ -n "$spec" ] || continue
    proto="${spec%%:*}"
    port="${spec##*:}"
    local flag=-Hltn
    [ "$proto" = udp ] && flag=-Hlun
    if ss "$flag" "sport = :$port" | grep -q .; then
      die "port $port/$proto is in use ($(ss "$flag"p "sport = :$port" | head -1 | awk '{print $NF}')); stop the other stack or choose other ports"
    fi
  done <"$dir/ports"
}

start() {
  require_root start
  local dir root uid gid
  dir="$(instance_dir "${1:-}")"
  if pid="$(asterisk_pid "$dir")"; then
    say "already running in $dir (pid $pid)"
    return 0
  fi
  root="$(build)"
  check_ports "$dir"
  mkdir -p "$dir"/{run,log,spool,db,lib}
  rm -f "$dir/run/asterisk.pid" "$dir/run/asterisk.ctl" "$dir/log/console.log"
  uid="$(chroot "$root" id -u asterisk)"
  gid="$(chroot "$root" id -g asterisk)"
  chown -R "$uid:$gid" "$dir/run" "$dir/log" "$dir/spool" "$dir/db" "$dir/lib"
  chmod 755 "$dir"
  # setsid detaches Asterisk from the caller's session; --kill-child takes Asterisk down with the
  # launcher if the launcher is killed. -f keeps Asterisk in the foreground of that namespace.
  setsid unshare --mount --propagation private --fork --kill-child -- sh -c "
      mount --rbind /dev '$root/dev' &&
      mount -t proc proc '$root/proc' &&
      mount --bind '$dir' '$root$MOUNT_POINT' &&
      exec chroot '$root' /usr/sbin/asterisk -f -U asterisk -G asterisk -C $MOUNT_POINT/etc/asterisk.conf
    " </dev/null >"$dir/log/console.log" 2>&1 &
  echo $! >"$dir/run/launcher.pid"
  local launcher=$!
  # Fully booted: Asterisk prints this line after loading every module.
  local waited=0
  until grep -q "Asterisk Ready" "$dir/log/console.log" 2>/dev/null; do
    if ! kill -0 "$launcher" 2>/dev/null; then
      tail -n 30 "$dir/log/console.log" >&2 || true
      die "Asterisk for $dir exited during start-up (console log above: $dir/log/console.log)"
    fi
    if [ "$waited" -ge 300 ]; then
      tail -n 30 "$dir/log/console.log" >&2 || true
      stop "$dir" >/dev/null 2>&1 || true
      die "Asterisk for $dir did not boot within 30 s"
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  echo "started $(basename "$dir") pid=$(asterisk_pid "$dir" || echo "?") in $((waited / 10)).$((waited % 10)) s"
}

stop() {
  local dir pid launcher
  dir="$(instance_dir "${1:-}")"
  if pid="$(asterisk_pid "$dir")"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  if [ -f "$dir/run/launcher.pid" ]; then
    launcher="$(cat "$dir/run/launcher.pid")"
    kill -KILL "$launcher" 2>/dev/null || true
    rm -f "$dir/run/launcher.pid"
  fi
  echo "stopped $(basename "$dir")"
}

status() {
  local dir pid
  dir="$(instance_dir "${1:-}")"
  if pid="$(asterisk_pid "$dir")"; then
    echo "running $(basename "$dir") pid=$pid"
    return 0
  fi
  echo "stopped $(basename "$dir")"
  return 3
}

cli() {
  require_root cli
  local dir root
  dir="$(instance_dir "${1:-}")"
  shift
  [ $# -gt 0 ] || die "name the CLI command, e.g. \"dialplan reload\""
  root="$(build)"
  asterisk_pid "$dir" >/dev/null || die "Asterisk for $dir is not running"
  unshare --mount --propagation private -- sh -c "
      mount --bind '$dir' '$root$MOUNT_POINT' &&
      exec chroot '$root' /usr/sbin/asterisk -C $MOUNT_POINT/etc/asterisk.conf -rx \"\$0\"
    " "$*"
}

case "${1:-}" in
  build) build ;;
  path) [ -x "$ROOT/usr/sbin/asterisk" ] && echo "$ROOT" || exit 1 ;;
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  status) status "${2:-}" ;;
  cli) shift; cli "$@" ;;
  *)
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
