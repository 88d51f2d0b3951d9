#!/usr/bin/env bash
# Sets up a fresh machine for Pathlight: the system packages it needs (Chromium for PDFs,
# poppler for the PDF tests, fonts), then the npm dependencies and the build.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 ||
  command -v google-chrome >/dev/null 2>&1 || packages+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || packages+=(poppler-utils)
[ -d /usr/share/fonts/truetype/dejavu ] || packages+=(fonts-dejavu-core)
if [ "${#packages[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing ${packages[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
  else
    echo "setup: please install ${packages[*]} with your system's package manager" >&2
  fi
fi

# `npm ci` installs exactly the committed lock (which lists DuckDB's native binaries for every
# platform, so npm accepts it anywhere) and then builds the project (the `prepare` script). The
# install scripts it may run are approved by name in package.json's `allowScripts`.
npm ci --no-audit --no-fund
