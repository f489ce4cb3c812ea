#!/bin/sh
# Starts Asterisk in the container from /pingdialer/instance/etc.
# - If the controller already rendered that directory (AsteriskStack's Docker runtime mounts the
#   rendered instance directory), it is used as it is.
# - Otherwise (docker compose) the templates mounted at /config-templates are rendered with
#   envsubst, replacing only pingdialer's placeholder names (Asterisk's own ${EXTEN} etc. stay),
#   and for the PBX the agent accounts are generated from AGENTS="agent1:pw1:pin1 agent2:pw2:pin2"
#   (id:SIP password:login PIN; the PIN is 4-8 digits, typed after dialing 9000).
# - ARI_PASSWORD, AMI_SECRET and AGENTS not set are read from SECRETS_DIR when it is given.
set -eu

# The Docker lab's generated secrets (compose.yml's "secrets" service): a variable that is set wins.
if [ -n "${SECRETS_DIR:-}" ]; then
  [ -n "${ARI_PASSWORD:-}" ] || ARI_PASSWORD="$(cat "$SECRETS_DIR/ari-password")"
  [ -n "${AMI_SECRET:-}" ] || AMI_SECRET="$(cat "$SECRETS_DIR/ami-secret")"
  [ -n "${AGENTS:-}" ] || AGENTS="$(cat "$SECRETS_DIR/agents")"
  export ARI_PASSWORD AMI_SECRET AGENTS
fi
for required in ARI_PASSWORD AMI_SECRET; do
  if grep -q "\${$required}" /config-templates/*.conf 2>/dev/null && [ -z "$(eval echo "\${$required:-}")" ]; then
    echo "asterisk-entrypoint: $required is not set (set it, or SECRETS_DIR to a directory with the secrets)" >&2
    exit 1
  fi
done

INSTANCE=/pingdialer/instance
ETC="$INSTANCE/etc"
# Keep this list in step with ConfigRenderer.NAMES in the controller.
NAMES='$PBX_SIP_PORT $PBX_SIP_PORT_NOREASON $PBX_HTTP_PORT $PBX_AMI_PORT $PBX_RTP_START $PBX_RTP_END $PSTN_SIP_PORT $PSTN_SIP_PORT_NOREASON $PSTN_RTP_START $PSTN_RTP_END $ARI_USER $ARI_PASSWORD $ARI_APP $AMI_USER $AMI_SECRET'

if [ ! -f "$ETC/asterisk.conf" ]; then
  mkdir -p "$ETC"
  for template in /config-templates/*.conf; do
    envsubst "$NAMES" <"$template" >"$ETC/$(basename "$template")"
  done
  if grep -q '^#include pjsip-agents.conf' "$ETC/pjsip.conf" 2>/dev/null; then
    {
      echo "; Generated from AGENTS by the container entrypoint."
      for account in ${AGENTS:-}; do
        id="${account%%:*}"
        rest="${account#*:}"
        password="${rest%%:*}"
        pin="${rest#*:}"
        [ -n "$id" ] && [ "$rest" != "$account" ] && [ "$pin" != "$rest" ] && [ -n "$password" ] || {
          echo "AGENTS entry '$account' must be id:password:pin" >&2
          exit 1
        }
        case "$pin" in
          ????|?????|??????|???????|????????) ;;
          *) echo "AGENTS entry for '$id': the PIN must be 4 to 8 digits" >&2; exit 1 ;;
        esac
        case "$pin" in
          *[!0-9]*) echo "AGENTS entry for '$id': the PIN must be 4 to 8 digits" >&2; exit 1 ;;
        esac
        printf '\n[%s](agent-ep)\nauth = %s-auth\naors = %s\nset_var = AGENT_PIN=%s\n[%s](agent-aor)\n[%s-auth](agent-auth)\nusername = %s\npassword = %s\n' \
          "$id" "$id" "$id" "$pin" "$id" "$id" "$id" "$password"
      done
    } >"$ETC/pjsip-agents.conf"
  fi
fi

# The phone goat's phrases (the pstn instance): spoken with espeak-ng into sounds/goat/, unless
# the instance already has them for this version of the phrase file (a restarted container).
if [ -f "$ETC/goat-phrases.conf" ]; then
  want="$(sha256sum "$ETC/goat-phrases.conf" | cut -c1-64)"
  if [ "$(cat "$INSTANCE/sounds/goat/.source" 2>/dev/null || true)" != "$want" ]; then
    mkdir -p "$INSTANCE/sounds"
    sh /usr/local/bin/make-phrases.sh "$ETC/goat-phrases.conf" "$INSTANCE/sounds/goat"
  fi
fi

# spool/recording: ARI recordings (inbound voicemail) land there; Asterisk does not create it.
mkdir -p "$INSTANCE/run" "$INSTANCE/log" "$INSTANCE/spool/recording" "$INSTANCE/db" "$INSTANCE/lib"
chown -R asterisk:asterisk "$INSTANCE/run" "$INSTANCE/log" "$INSTANCE/spool" "$INSTANCE/db" "$INSTANCE/lib"
# What Asterisk writes (voicemail recordings of callers, logs) is never world-readable.
umask 007
exec /usr/sbin/asterisk -f -U asterisk -G asterisk -C "$ETC/asterisk.conf"
