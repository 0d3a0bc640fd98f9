#!/usr/bin/env bash
# Installs Debian packages, only those missing.
#   install-system-packages.sh [test]  what the test suite needs: Chromium for the browser tests,
#       a Java runtime for the Nu HTML Checker, Node.js/npm for the pinned JS tools. Used by
#       `make setup-test` (so `make test` works on a fresh machine) and by .ci/run.
#   install-system-packages.sh bench   Hugo, the benchmark's second baseline (`make bench-packages`).
set -euo pipefail

missing=()
case "${1:-test}" in
test)
    [ -x "${CUCON_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium fonts-liberation)
    command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
    command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
    ;;
bench)
    command -v hugo >/dev/null 2>&1 || missing+=(hugo)
    ;;
*)
    echo "usage: install-system-packages.sh [test|bench]" >&2
    exit 2
    ;;
esac
[ "${#missing[@]}" -gt 0 ] || exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || {
        echo "install-system-packages: need root to install ${missing[*]}; run: apt-get install ${missing[*]}" >&2
        exit 1
    }
    sudo="sudo"
fi
echo "install-system-packages: installing ${missing[*]}"
log="$(mktemp)"
# openjdk's post-install step fails where slim images have dropped the man folders.
$sudo mkdir -p /usr/share/man/man1
if ! { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
fi
rm -f "$log"
