#!/usr/bin/env bash
# Installs what the test suite and the rootfs runtime need on a Debian/Ubuntu host, if missing:
# debootstrap (builds the Asterisk rootfs), sip-tester (sipp: real SIP phones and carriers in
# tests), iproute2 (ss: port checks), postgresql (the store tests start a throwaway server on
# loopback with docker/test-postgres.sh), chromium + chromium-driver (the dashboard's browser test
# drives a headless Chromium through chromedriver). Idempotent; does nothing when all are present.
set -euo pipefail

need=()
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v sipp >/dev/null 2>&1 || need+=(sip-tester)
command -v ss >/dev/null 2>&1 || need+=(iproute2)
command -v unshare >/dev/null 2>&1 || need+=(util-linux)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
"$(dirname "${BASH_SOURCE[0]}")/test-postgres.sh" available || need+=(postgresql)

[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "host-prerequisites: missing ${need[*]}; install them as root: apt-get install ${need[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "host-prerequisites: missing ${need[*]} and no apt-get here; install them with your package manager" >&2
  exit 1
fi
echo "host-prerequisites: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
