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
#   asterisk-rootfs.sh freeze INSTANCE_DIR   SIGSTOP it (a hung PBX, for tests); thaw: SIGCONT
#
# INSTANCE_DIR is a host directory holding a rendered config in etc/ (etc/asterisk.conf first of
# all) and optionally a file "ports" with one "udp:N" or "tcp:N" per line to check before start.
# Inside the chroot it is bind-mounted at /pingdialer/instance, so every instance sees its own
# directory at the same path and the configs can use fixed paths. The mounts exist only in the
# instance's own mount namespace: when Asterisk exits, nothing is left mounted on the host.
#
# Cache: ${PINGDIALER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pingdialer}/rootfs-<recipe hash>.
# Needs root, debootstrap, unshare (util-linux) and the Debian mirror of this host's apt sources
# (or PINGDIALER_DEBIAN_MIRROR).
set -euo pipefail

# ---- the recipe: anything that changes the rootfs must change the hash -----------------------
SUITE=forky
# asterisk-core-sounds-en-gsm: the prompts as GSM files (hello-world, vm-intro, beep, ...), so the
# personas and the drop message play without transcoding from another format.
# espeak-ng + sox: the phone goat's phrases are spoken from text at instance start (make-phrases.sh).
PACKAGES="asterisk asterisk-core-sounds-en asterisk-core-sounds-en-gsm espeak-ng sox"
# Bump when the recipe changes in a way the suite and package list do not show.
RECIPE_VERSION=1

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${PINGDIALER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pingdialer}"
RECIPE_HASH="$(printf '%s|%s|%s' "$SUITE" "$PACKAGES" "$RECIPE_VERSION" | sha256sum | cut -c1-12)"
ROOT="$CACHE/rootfs-$RECIPE_HASH"
# Where each instance directory appears inside the chroot (an empty directory in the rootfs).
MOUNT_POINT=/pingdialer/instance

die() {
  echo "asterisk-rootfs: $*" >&2
  exit 1
}
say() { echo "asterisk-rootfs: $*" >&2; }

usage() {
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

require_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot and mounts need it); try: sudo $0 $*"
}

is_built() { [ -x "$ROOT/usr/sbin/asterisk" ] && [ -d "$ROOT$MOUNT_POINT" ]; }

# The Debian archive this host's apt already uses; never a hard-coded host.
debian_mirror() {
  if [ -n "${PINGDIALER_DEBIAN_MIRROR:-}" ]; then
    echo "$PINGDIALER_DEBIAN_MIRROR"
    return
  fi
  local uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    # deb822: the first URIs line that is not the security archive
    uri="$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri="$(awk '$1 == "deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list)"
  fi
  [ -n "$uri" ] || die "cannot find the Debian mirror in /etc/apt/sources.list(.d); set PINGDIALER_DEBIAN_MIRROR=http://<mirror>/debian"
  echo "$uri"
}

# Short probe so an unreachable mirror fails in seconds, not after debootstrap's long retries.
probe_mirror() {
  local url="$1/dists/$SUITE/Release"
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --connect-timeout 5 --max-time 15 -o /dev/null "$url" 2>/dev/null && return 0
  elif command -v wget >/dev/null 2>&1; then
    wget -q -T 10 -t 1 -O /dev/null "$url" 2>/dev/null && return 0
  else
    return 0 # nothing to probe with; debootstrap will tell
  fi
  die "the Debian mirror $1 does not answer for $SUITE ($url); check the network/proxy or set PINGDIALER_DEBIAN_MIRROR"
}

# Anything still mounted below a directory (a killed build or a crashed launcher)?
mounted_below() { awk -v d="$1/" 'index($2 "/", d) == 1 {found=1} END {exit !found}' /proc/mounts; }

build() {
  if is_built; then
    echo "$ROOT"
    return 0
  fi
  require_root build
  command -v debootstrap >/dev/null 2>&1 || die "debootstrap is missing; install it: apt-get install debootstrap"
  command -v unshare >/dev/null 2>&1 || die "unshare is missing; install it: apt-get install util-linux"
  mkdir -p "$CACHE"
  # One build at a time; a second caller waits here and then finds the finished rootfs.
  exec 9>"$CACHE/rootfs.lock"
  flock 9
  if is_built; then
    echo "$ROOT"
    return 0
  fi
  local mirror tmp log script started uid gid
  mirror="$(debian_mirror)"
  probe_mirror "$mirror"
  # Bookworm's debootstrap has no forky script; sid's works for forky.
  script=/usr/share/debootstrap/scripts/sid
  [ -f "$script" ] || die "no debootstrap script at $script; install or upgrade debootstrap: apt-get install debootstrap"
  tmp="$CACHE/rootfs-$RECIPE_HASH.tmp"
  log="$CACHE/rootfs-$RECIPE_HASH.log"
  # A killed earlier build may have left its tree; never rm -rf a tree with mounts in it.
  if mounted_below "$tmp"; then
    die "$tmp still has mounts (from a killed build); unmount them (grep '$tmp' /proc/mounts) and retry"
  fi
  rm -rf "$tmp"
  started=$(date +%s)
  say "building the Debian $SUITE rootfs with Asterisk in $ROOT from $mirror (about a minute, once; log: $log)"
  # debootstrap and apt run in a private mount namespace: the /proc, /sys and /dev mounts they
  # make inside the tree vanish with the namespace, even if the build is killed.
  if ! unshare --mount --propagation private -- \
      debootstrap --variant=minbase "$SUITE" "$tmp" "$mirror" "$script" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    die "debootstrap failed (log above; full log: $log); check the mirror and disk space, then retry"
  fi
  # shellcheck disable=SC2086 # PACKAGES is a word list on purpose
  if ! unshare --mount --propagation private -- sh -c "
        mount --rbind /dev '$tmp/dev' && mount -t proc proc '$tmp/proc' &&
        DEBIAN_FRONTEND=noninteractive chroot '$tmp' apt-get install -y --no-install-recommends $PACKAGES" \
      >>"$log" 2>&1; then
    tail -n 20 "$log" >&2
    die "installing $PACKAGES in the rootfs failed (log above; full log: $log)"
  fi
  chroot "$tmp" apt-get clean >>"$log" 2>&1 || true
  # The package creates the system user Asterisk drops to (-U asterisk); instance directories
  # are chowned to its uid/gid as seen *inside* the rootfs.
  uid="$(chroot "$tmp" id -u asterisk 2>/dev/null)" || die "no asterisk user in the rootfs; see $log"
  gid="$(chroot "$tmp" id -g asterisk)"
  # The empty mount point every instance directory is bind-mounted on.
  mkdir -p "$tmp$MOUNT_POINT"
  printf 'suite=%s\npackages=%s\nrecipe_version=%s\nasterisk_uid=%s\nasterisk_gid=%s\n' \
    "$SUITE" "$PACKAGES" "$RECIPE_VERSION" "$uid" "$gid" >"$tmp/pingdialer/recipe"
  mv "$tmp" "$ROOT"
  say "rootfs ready in $(($(date +%s) - started)) s ($(du -sh "$ROOT" | cut -f1); asterisk uid=$uid gid=$gid)"
  echo "$ROOT"
}

instance_dir() {
  [ -n "${1:-}" ] || die "name the instance directory"
  [ -f "$1/etc/asterisk.conf" ] || die "$1/etc/asterisk.conf is missing; render the config into $1/etc first"
  (cd "$1" && pwd)
}

# Asterisk writes its pid (a host pid: there is no pid namespace) to astrundir, which is the
# instance's run/ directory. Print it if that process is alive and is Asterisk.
asterisk_pid() {
  local pid_file="$1/run/asterisk.pid" pid
  [ -f "$pid_file" ] || return 1
  pid="$(cat "$pid_file")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # The pid file may be stale after a crash and the number reused: check it is Asterisk.
  grep -q asterisk "/proc/$pid/comm" 2>/dev/null || return 1
  echo "$pid"
}

launcher_pid() {
  local pid
  [ -f "$1/run/launcher.pid" ] || return 1
  pid="$(cat "$1/run/launcher.pid")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  grep -q unshare "/proc/$pid/comm" 2>/dev/null || return 1
  echo "$pid"
}

# The phone goat's phrases: an instance whose etc/ holds goat-phrases.conf (the pstn) gets them
# spoken into its sounds/goat/ (the dialplan plays them from /pingdialer/instance/sounds/goat).
# espeak-ng runs inside the rootfs once per version of the phrase file and of make-phrases.sh; the
# result is cached in the rootfs (var/cache/pingdialer-phrases/<hash>) and copied per instance.
phrases() {
  local dir="$1" root="$2" sum store cache
  [ -f "$dir/etc/goat-phrases.conf" ] || return 0
  sum="$(cat "$dir/etc/goat-phrases.conf" "$SCRIPT_DIR/make-phrases.sh" | sha256sum | cut -c1-12)"
  store="$root/var/cache/pingdialer-phrases"
  cache="$store/$sum"
  mkdir -p "$store"
  if [ ! -f "$cache/.source" ]; then
    # One instance at a time speaks them; a second one waits and then reuses them.
    (
      flock 8
      if [ ! -f "$cache/.source" ]; then
        cp "$dir/etc/goat-phrases.conf" "$store/$sum.conf"
        unshare --mount --propagation private -- sh -c "
            mount --rbind /dev '$root/dev' &&
            exec chroot '$root' sh -s /var/cache/pingdialer-phrases/$sum.conf /var/cache/pingdialer-phrases/$sum
          " <"$SCRIPT_DIR/make-phrases.sh" >>"$dir/log/phrases.log" 2>&1 ||
          die "speaking the goat's phrases failed; see $dir/log/phrases.log"
      fi
    ) 8>"$store/.lock"
  fi
  rm -rf "$dir/sounds/goat"
  mkdir -p "$dir/sounds"
  cp -r "$cache" "$dir/sounds/goat"
}

check_ports() {
  local dir="$1" spec proto port flag users
  [ -f "$dir/ports" ] || return 0
  while read -r spec; do
    spec="${spec%%#*}"
    spec="${spec//[[:space:]]/}"
    [ -n "$spec" ] || continue
    proto="${spec%%:*}"
    port="${spec##*:}"
    case "$proto" in
      tcp) flag=-Hltn ;;
      udp) flag=-Hlun ;;
      *) die "bad line '$spec' in $dir/ports; expected tcp:PORT or udp:PORT" ;;
    esac
    if [ -n "$(ss "$flag" "sport = :$port")" ]; then
      users="$(ss "${flag}p" "sport = :$port" | grep -o 'users:(.*)' | head -1)"
      die "port $port/$proto is in use by ${users:-another process}; stop the other stack or choose other ports"
    fi
  done <"$dir/ports"
}

start() {
  require_root start
  local dir root uid gid pid launcher waited
  dir="$(instance_dir "${1:-}")"
  if pid="$(asterisk_pid "$dir")"; then
    say "already running in $dir (pid $pid)"
    echo "started $(basename "$dir") pid=$pid"
    return 0
  fi
  root="$(build)"
  check_ports "$dir"
  # spool/recording: ARI recordings (inbound voicemail) land there; Asterisk does not create it.
  mkdir -p "$dir"/{run,log,spool,spool/recording,db,lib}
  phrases "$dir" "$root"
  rm -f "$dir/run/asterisk.pid" "$dir/run/asterisk.ctl" "$dir/run/launcher.pid" "$dir/log/console.log"
  uid="$(chroot "$root" id -u asterisk)"
  gid="$(chroot "$root" id -g asterisk)"
  # Asterisk runs as the rootfs's asterisk user: it must read etc/ and write run, log, spool, db.
  chown -R "$uid:$gid" "$dir"
  # setsid: own session and process group, detached from the caller's terminal and job control;
  # the group is what stop kills last. unshare --kill-child: Asterisk dies with the launcher.
  # --propagation private: the three mounts exist only in this namespace and vanish with it.
  # -f keeps Asterisk in the foreground of the launcher, so the launcher lives as long as it does.
  # umask 007: what Asterisk writes (voicemail recordings of callers, logs) is never world-readable.
  setsid unshare --mount --propagation private --fork --kill-child -- sh -c "
      mount --rbind /dev '$root/dev' &&
      mount -t proc proc '$root/proc' &&
      mount --bind '$dir' '$root$MOUNT_POINT' &&
      umask 007 &&
      exec chroot '$root' /usr/sbin/asterisk -f -U asterisk -G asterisk -C $MOUNT_POINT/etc/asterisk.conf
    " </dev/null >"$dir/log/console.log" 2>&1 &
  launcher=$!
  echo "$launcher" >"$dir/run/launcher.pid"
  # Fully booted: Asterisk prints "Asterisk Ready." after loading every module (needs verbose >= 1
  # in asterisk.conf; console output goes to log/console.log).
  waited=0
  until grep -q "Asterisk Ready" "$dir/log/console.log" 2>/dev/null && asterisk_pid "$dir" >/dev/null; do
    if ! kill -0 "$launcher" 2>/dev/null; then
      tail -n 30 "$dir/log/console.log" >&2 || true
      die "Asterisk for $dir exited during start-up (last 30 lines of $dir/log/console.log above)"
    fi
    if [ "$waited" -ge 200 ]; then
      tail -n 30 "$dir/log/console.log" >&2 || true
      stop "$dir" >/dev/null 2>&1 || true
      die "Asterisk for $dir did not boot within 20 s (last 30 lines of $dir/log/console.log above)"
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  say "$(basename "$dir") booted in $((waited / 10)).$((waited % 10)) s"
  echo "started $(basename "$dir") pid=$(asterisk_pid "$dir")"
}

stop() {
  local dir pid launcher
  dir="$(instance_dir "${1:-}")"
  # Graceful first: SIGTERM makes Asterisk hang up its channels and exit ("core stop now").
  if pid="$(asterisk_pid "$dir")"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  # Then the launcher's whole process group (unshare, sh, Asterisk): SIGKILL whatever is left.
  # When the last process of the namespace is gone, its mounts are gone too.
  if launcher="$(launcher_pid "$dir")"; then
    kill -KILL -- "-$launcher" 2>/dev/null || kill -KILL "$launcher" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$launcher" 2>/dev/null || break
      sleep 0.1
    done
  fi
  if pid="$(asterisk_pid "$dir")"; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/run/launcher.pid" "$dir/run/asterisk.pid" "$dir/run/asterisk.ctl"
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

# Freezes (SIGSTOP) or thaws (SIGCONT) a running instance: an overloaded or hung PBX for tests.
# Nothing is lost while frozen; requests and SIP wait in the kernel's buffers until the thaw.
freeze() {
  local dir pid signal="$2"
  dir="$(instance_dir "${1:-}")"
  pid="$(asterisk_pid "$dir")" || die "Asterisk for $dir is not running; start it: $0 start $dir"
  kill "-$signal" "$pid"
  echo "$([ "$signal" = STOP ] && echo frozen || echo thawed) $(basename "$dir") pid=$pid"
}

cli() {
  require_root cli
  local dir root
  dir="$(instance_dir "${1:-}")"
  shift
  [ $# -gt 0 ] || die "name the CLI command, e.g. \"dialplan reload\""
  root="$(build)"
  asterisk_pid "$dir" >/dev/null || die "Asterisk for $dir is not running; start it: $0 start $dir"
  # A short-lived namespace with only the instance mount: the remote console just needs
  # /pingdialer/instance/etc/asterisk.conf (to find astrundir) and run/asterisk.ctl.
  unshare --mount --propagation private -- sh -c "
      mount --bind '$dir' '$root$MOUNT_POINT' &&
      exec chroot '$root' /usr/sbin/asterisk -C $MOUNT_POINT/etc/asterisk.conf -rx \"\$0\"
    " "$*"
}

case "${1:-}" in
  build) build ;;
  path) is_built && echo "$ROOT" || exit 1 ;;
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  status) status "${2:-}" ;;
  freeze) freeze "${2:-}" STOP ;;
  thaw) freeze "${2:-}" CONT ;;
  cli)
    shift
    cli "$@"
    ;;
  *) usage ;;
esac
