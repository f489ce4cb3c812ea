#!/bin/sh
# Speaks a phrase file into sound files Asterisk plays: 8 kHz, mono, 16-bit signed WAV, one file
# per phrase, made with espeak-ng (text to speech) and sox (resampling, silence). Runs where
# Asterisk runs: inside the rootfs (docker/asterisk-rootfs.sh start) or the container
# (docker/asterisk-entrypoint.sh), both of which install espeak-ng and sox from Debian.
#
#   make-phrases.sh PHRASE_FILE OUT_DIR
#
# PHRASE_FILE is asterisk-config/pstn/goat-phrases.conf (rendered into the instance's etc/): an
# ini file whose sections are espeak-ng voices ([de], [en]) and whose lines are NAME = TEXT.
# OUT_DIR/<voice>/<NAME>.wav is written for each. OUT_DIR is replaced whole, so a phrase taken out
# of the file disappears too. Also writes OUT_DIR/.source with the phrase file's checksum.
set -eu

[ $# -eq 2 ] || {
  echo "usage: make-phrases.sh PHRASE_FILE OUT_DIR" >&2
  exit 2
}
phrases="$1"
out="$2"
[ -f "$phrases" ] || {
  echo "make-phrases: no phrase file at $phrases" >&2
  exit 1
}
for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "make-phrases: $tool is missing here; install it (apt-get install $tool)" >&2
    exit 1
  }
done

tmp="$out.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

voice=""
line_no=0
count=0
# Lines keep their UTF-8 (espeak-ng reads it); \r from files edited on Windows is dropped.
while IFS= read -r line || [ -n "$line" ]; do
  line_no=$((line_no + 1))
  line="$(printf '%s' "$line" | tr -d '\r' | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')"
  case "$line" in
    '' | ';'*) continue ;;
    '['*']')
      voice="${line#[}"
      voice="${voice%]}"
      mkdir -p "$tmp/$voice"
      continue
      ;;
  esac
  name="$(printf '%s' "${line%%=*}" | sed 's/[[:space:]]*$//')"
  text="$(printf '%s' "${line#*=}" | sed 's/^[[:space:]]*//')"
  if [ -z "$voice" ] || [ "$name" = "$line" ] || [ -z "$text" ]; then
    echo "make-phrases: $phrases:$line_no: expected NAME = TEXT inside a [voice] section, was: $line" >&2
    exit 1
  fi
  case "$name" in
    *[!A-Za-z0-9_-]*)
      echo "make-phrases: $phrases:$line_no: phrase name '$name' may hold only letters, digits, _ and -" >&2
      exit 1
      ;;
  esac
  # -s 150 words per minute: a calm telephone pace. espeak-ng writes 22050 Hz; sox makes it 8 kHz
  # (what a G.711 call carries, so Asterisk plays it without resampling) and adds 0.1 s of lead-in.
  if ! espeak-ng -v "$voice" -s 150 -w "$tmp/raw.wav" -- "$text" 2>"$tmp/err"; then
    echo "make-phrases: $phrases:$line_no: espeak-ng failed for voice '$voice': $(cat "$tmp/err")" >&2
    exit 1
  fi
  sox -q "$tmp/raw.wav" -r 8000 -c 1 -b 16 -e signed-integer "$tmp/$voice/$name.wav" pad 0.1 0
  count=$((count + 1))
done <"$phrases"
rm -f "$tmp/raw.wav" "$tmp/err"

sha256sum "$phrases" | cut -c1-64 >"$tmp/.source"

trap - EXIT
rm -rf "$out"
mv "$tmp" "$out"
echo "make-phrases: $count phrases from $phrases in $out" >&2
