#!/usr/bin/env bash
# Shared helpers for the Cyroid scripts. Source it; do not run it.
# The sourcing script sets CYROID_SCRIPT (its own name) for the log prefix.

# Project root, whatever the caller's working directory.
# shellcheck disable=SC2034 # used by the sourcing scripts
CYROID_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '[%s] %s\n' "${CYROID_SCRIPT:-cyroid}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# True when every named Debian package is installed.
pkg_installed() {
  local p
  for p in "$@"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || return 1
  done
}

# Installs the Debian packages that are missing (root on Debian only).
# Runs `apt-get update` only when a missing package has no install candidate
# (at most once per script run).
CYROID_APT_UPDATED=${CYROID_APT_UPDATED:-0}
apt_ensure() {
  local missing=() p
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing packages: ${missing[*]} (no apt-get here: install them by hand)"
  [ "$(id -u)" -eq 0 ] || die "missing packages: ${missing[*]} (run as root, or install them by hand)"
  local policy
  for p in "${missing[@]}"; do
    [ "$CYROID_APT_UPDATED" = 1 ] && break
    # (no `| grep -q` here: under pipefail its early exit would fail the pipe)
    policy=$(apt-cache policy "$p" 2>/dev/null || true)
    if [[ "$policy" != *"Candidate: "[0-9a-z]* ]]; then
      log "apt-get update (no install candidate for $p)"
      apt-get update -qq
      CYROID_APT_UPDATED=1
    fi
  done
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# True when a Docker image exists in the host engine.
image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# The Debian mirror apt uses on this machine (deb822 .sources or sources.list);
# the security archive is skipped.
debian_mirror() {
  if [ -n "${CYROID_DEBIAN_MIRROR:-}" ]; then echo "$CYROID_DEBIAN_MIRROR"; return; fi
  local m=""
  shopt -s nullglob
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    m=$(awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' "$f" \
          | grep -v -- '-security' | grep -E '/debian/?$' | head -n1 || true)
    [ -n "$m" ] && break
  done
  if [ -z "$m" ]; then
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -f "$f" ] || continue
      m=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i ~ /:\/\//) { print $i; break } }' "$f" \
            | grep -v -- '-security' | grep -E '/debian/?$' | head -n1 || true)
      [ -n "$m" ] && break
    done
  fi
  shopt -u nullglob
  echo "${m:-http://deb.debian.org/debian}"
}
