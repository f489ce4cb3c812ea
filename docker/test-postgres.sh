#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the store tests (Debian's postgresql package).
#   docker/test-postgres.sh start DIR PORT   initdb DIR (trust auth, user pingdialer, db pingdialer)
#                                            and start it on 127.0.0.1:PORT; prints the JDBC URL
#   docker/test-postgres.sh stop DIR         stop it and remove DIR
# DIR must lie where the postgres user can reach it when run as root (e.g. under /tmp, not in a
# checkout under /root).
#   docker/test-postgres.sh available        exit 0 when the server binaries are installed
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user.
set -euo pipefail

bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  return 1
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

cmd="${1:-}"
# The postgres user must not need the caller's working directory: in a checkout under /root
# (mode 700) every command it runs would warn 'could not change directory to "/root/project"'.
if [ -n "${2:-}" ]; then
  case "$2" in /*) abs_dir="$2" ;; *) abs_dir="$PWD/$2" ;; esac
  set -- "$1" "$abs_dir" "${@:3}"
fi
cd /
case "$cmd" in
  available)
    bindir >/dev/null
    ;;
  start)
    dir="${2:?usage: test-postgres.sh start DIR PORT}"
    port="${3:?usage: test-postgres.sh start DIR PORT}"
    bin="$(bindir)" || {
      echo "test-postgres: no PostgreSQL server here; install it: apt-get install postgresql" >&2
      exit 1
    }
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U pingdialer -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
      echo "test-postgres: initdb failed:" >&2
      cat "$dir/initdb.log" >&2
      exit 1
    }
    # Small and fast: no fsync (throwaway data), sockets only in DIR, TCP only on loopback.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60" \
      start >/dev/null || {
      echo "test-postgres: server did not start, see $dir/server.log" >&2
      exit 1
    }
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U pingdialer pingdialer
    echo "jdbc:postgresql://127.0.0.1:$port/pingdialer"
    ;;
  stop)
    dir="${2:?usage: test-postgres.sh stop DIR}"
    bin="$(bindir)" || exit 0
    if [ -d "$dir/data" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: test-postgres.sh start DIR PORT | stop DIR | available" >&2
    exit 2
    ;;
esac
