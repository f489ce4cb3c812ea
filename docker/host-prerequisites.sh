#!/usr/bin/env bash
# Installs the host programs pingdialer needs, from the one list in docker/host-programs.
#   host-prerequisites.sh runtime           what a stack needs (demo, serve, stack up)
#   host-prerequisites.sh test              runtime + the test-only tools (./pingdialer test)
#   host-prerequisites.sh --check SCOPE     only report; exit 1 and name what is missing
# As root with apt-get it installs what is missing (idempotent; nothing to do when all are
# present). Otherwise it stops before anything else runs, with one message naming every missing
# program and the exact command to install them.
# PINGDIALER_HOST_PROGRAMS names another list (the tests use that).
set -euo pipefail

check_only=0
if [ "${1:-}" = "--check" ]; then
  check_only=1
  shift
fi
scope="${1:-}"
case "$scope" in
  runtime) scopes=" runtime " ;;
  test) scopes=" runtime test " ;;
  *)
    echo "usage: host-prerequisites.sh [--check] runtime|test" >&2
    exit 2
    ;;
esac
list="${PINGDIALER_HOST_PROGRAMS:-$(dirname "${BASH_SOURCE[0]}")/host-programs}"
[ -f "$list" ] || {
  echo "host-prerequisites: no program list at $list" >&2
  exit 2
}

# A program is present when it is on PATH, or (an absolute pattern) when a file matches it.
present() {
  local program="$1" match
  if [ "${program#/}" != "$program" ]; then
    for match in $program; do
      [ -x "$match" ] && return 0
    done
    return 1
  fi
  command -v "$program" >/dev/null 2>&1
}

packages=()
programs=()
line_no=0
while read -r package entry_scope entry_programs purpose; do
  line_no=$((line_no + 1))
  case "$package" in '' | '#'*) continue ;; esac
  [ -n "$entry_programs" ] || {
    echo "host-prerequisites: $list:$line_no: expected PACKAGE SCOPE PROGRAMS PURPOSE" >&2
    exit 2
  }
  case "$scopes" in *" $entry_scope "*) ;; *) continue ;; esac
  IFS=, read -r -a names <<<"$entry_programs"
  for program in "${names[@]}"; do
    if ! present "$program"; then
      programs+=("$(basename "$program") ($purpose)")
      case " ${packages[*]-} " in *" $package "*) ;; *) packages+=("$package") ;; esac
    fi
  done
done <"$list"

[ ${#packages[@]} -eq 0 ] && exit 0

missing="$(printf '%s, ' "${programs[@]}")"
missing="pingdialer: not installed: ${missing%, }"
install="apt-get install ${packages[*]}"
if [ "$check_only" = 1 ]; then
  printf '%s\ninstall: %s\n' "$missing" "$install" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  printf '%s\ninstall as root: sudo %s\n' "$missing" "$install" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  printf '%s\nno apt-get here: install the Debian packages %s with your package manager\n' \
    "$missing" "${packages[*]}" >&2
  exit 1
fi
echo "host-prerequisites: installing ${packages[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2
