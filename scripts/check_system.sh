#!/usr/bin/env bash
# Check the Debian packages a make target needs; install the missing ones when possible.
#
#   scripts/check_system.sh demo|test|bench [--check-only]
#
# demo:  nothing outside the Python wheels (decoding, speech, OCR and fonts ship in them).
# test:  espeak-ng (narrated test clips), ffmpeg, fonts-wqy-zenhei + fonts-dejavu-core (drawtext
#        captions), chromium (browser tests), iproute2 + util-linux (Ray tests in a loopback-only netns).
# bench: test's packages plus festival with festvox-kallpc16k (a second voice for development clips) and
#        sox (fits a spoken line to its part's length without changing its pitch) and flite (a third
#        synthesizer, for the talks' unseen-voice check).
#
# Missing packages are installed with apt-get when running as root or with password-less sudo;
# otherwise (or with --check-only) the script prints the one command that installs them and exits 1
# (in well under a second).
set -u
target="${1:-test}"
check_only="${2:-}"

need=()
has_cmd() { command -v "$1" >/dev/null 2>&1; }
has_file() { [ -e "$1" ]; }
want() { # want PACKAGE CHECK ARG
  local pkg="$1"; shift
  "$@" || need+=("$pkg")
}

case "$target" in
  demo) ;;
  test|bench)
    want espeak-ng has_cmd espeak-ng
    want ffmpeg has_cmd ffmpeg
    want fonts-wqy-zenhei has_file /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
    want fonts-dejavu-core has_file /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
    want chromium has_cmd chromium
    want iproute2 has_cmd ip
    want util-linux has_cmd unshare
    if [ "$target" = bench ]; then
      want festival has_cmd text2wave
      want festvox-kallpc16k has_file /usr/share/festival/voices/english/kal_diphone
      want sox has_cmd sox
      want flite has_cmd flite
    fi
    ;;
  *) echo "check_system.sh: unknown target '$target'; use demo, test or bench" >&2; exit 2 ;;
esac

((${#need[@]})) || exit 0

line="sudo apt-get update && sudo apt-get install -y ${need[*]}"
if [ "$check_only" = --check-only ]; then
  echo "missing system packages for 'make $target': ${need[*]}" >&2
  echo "install them with:  $line" >&2
  exit 1
elif [ "$(id -u)" = 0 ]; then
  sudo=()
elif has_cmd sudo && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "missing system packages for 'make $target': ${need[*]}" >&2
  echo "install them with:  $line" >&2
  exit 1
fi
if ! has_cmd apt-get; then
  echo "missing system packages for 'make $target': ${need[*]} (Debian names; no apt-get here)" >&2
  exit 1
fi
echo "installing missing system packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q && "${sudo[@]}" apt-get install -y -q --no-install-recommends "${need[@]}" || {
  echo "apt-get could not install: ${need[*]}; run:  $line" >&2
  exit 1
}
