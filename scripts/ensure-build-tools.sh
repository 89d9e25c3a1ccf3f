#!/usr/bin/env bash
# Makes sure a Java 17+ JDK, Maven and npm (the api module's build vendors xterm.js and noVNC with `npm ci`) are
# on the PATH, and Chromium with its driver for the browser tests (BrowserIT), from Debian's packages when missing,
# as root, idempotently.
set -euo pipefail
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=ensure-build-tools.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

java_major() { java -version 2>&1 | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -n1; }

if ! command -v javac >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ]; then
  apt_ensure openjdk-17-jdk-headless
fi
command -v mvn >/dev/null 2>&1 || apt_ensure maven
command -v curl >/dev/null 2>&1 || apt_ensure curl
# npm 7 or later reads the committed package-lock.json (docs/operations.md, "The npm step")
command -v npm >/dev/null 2>&1 || apt_ensure nodejs npm
# BrowserIT drives Debian's Chromium headless through /usr/bin/chromedriver (no browser download at test time)
apt_ensure chromium chromium-driver
log "java $(java_major), $(mvn -v 2>/dev/null | head -n1), $(chromium --version 2>/dev/null || echo no chromium)"
