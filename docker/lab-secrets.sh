#!/bin/sh
# The Docker lab's secrets, made once into the shared volume by compose's one-shot "secrets"
# service (it runs before pbx and controller): fresh random values, owner-only files, never in the
# project or its logs. A file that exists is kept, so a restarted stack keeps its secrets; remove
# the volume (docker compose down -v) for new ones. A variable set for compose (ARI_PASSWORD, ...)
# wins over its file in every service, so a user may still choose a secret.
#   lab-secrets.sh DIR
set -eu

dir="${1:?usage: lab-secrets.sh DIR}"
umask 077
mkdir -p "$dir"

# N random hex characters, from the kernel's generator.
hex() { od -An -N64 -tx1 /dev/urandom | tr -d ' \n' | cut -c1-"$1"; }
# A 6-digit login PIN that does not start with 0.
pin() { printf '%d%05d' $(($(od -An -N2 -tu2 /dev/urandom) % 9 + 1)) $(($(od -An -N4 -tu4 /dev/urandom) % 100000)); }

# Writes VALUE to NAME unless NAME has one already.
make_once() {
  if [ ! -s "$dir/$1" ]; then
    printf '%s\n' "$2" >"$dir/$1.tmp"
    mv "$dir/$1.tmp" "$dir/$1"
    echo "lab-secrets: made $1"
  fi
}
agents() {
  # The lab agents' accounts (id:SIP password:PIN), read by the pbx entrypoint and the controller.
  printf 'agent1:%s:%s agent2:%s:%s' "$(hex 16)" "$(pin)" "$(hex 16)" "$(pin)"
}

make_once ari-password "$(hex 24)"
make_once ami-secret "$(hex 24)"
make_once api-token "$(hex 48)"
make_once db-password "$(hex 24)"
make_once agents "$(agents)"
chmod 600 "$dir"/*
