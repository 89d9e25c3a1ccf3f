#!/usr/bin/env bash
# RESEARCH ONLY (issue 6). Builds cyroid/registry-research:latest from Debian's docker-registry package
# (installed on this machine with apt-get): the binary, the C library it links and a config without auth,
# imported as a plain image (no registry needed). Labelled cyroid.managed=true, cyroid.test=image-research.
set -euo pipefail
command -v docker-registry >/dev/null || apt-get install -y --no-install-recommends docker-registry >/dev/null
root=$(mktemp -d); trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/bin" "$root/etc/docker/registry" "$root/var/lib/docker-registry" "$root/tmp"
cp /usr/bin/docker-registry "$root/usr/bin/"
for lib in $(ldd /usr/bin/docker-registry | grep -o '/[^ ]*'); do mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"; done
cat >"$root/etc/docker/registry/config.yml" <<'YML'
version: 0.1
storage:
  filesystem:
    rootdirectory: /var/lib/docker-registry
  delete:
    enabled: true
http:
  addr: :5000
YML
tar -C "$root" -c . | docker import -c 'ENTRYPOINT ["/usr/bin/docker-registry", "serve", "/etc/docker/registry/config.yml"]' \
  -c 'LABEL cyroid.managed=true cyroid.test=image-research' - cyroid/registry-research:latest
