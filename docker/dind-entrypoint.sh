#!/bin/sh
# Cyroid DinD entrypoint: one range = one of these containers, with its own
# inner Docker engine. POSIX sh on purpose: the same file runs in the official
# docker:dind image (Alpine, no bash) and in the offline Debian-based image.
#
# What it does, in order:
#  1. cgroups: in the capability-set mode (no --privileged) Docker hands the
#     cgroup v1 hierarchies in read-only, and the inner engine then cannot start
#     any container ("mkdir /sys/fs/cgroup/cpuset/docker: read-only file
#     system"). A plain `mount -o remount,rw` fails ("mount point is busy") and
#     stacking new mounts on top still fails inside runc. What works: unmount
#     everything under /sys/fs/cgroup and the tmpfs itself, mount a fresh tmpfs,
#     then one cgroup v1 hierarchy per enabled controller (from /proc/cgroups,
#     co-mounted controllers kept together) plus the named name=systemd one.
#     If the hierarchies are writable (--privileged) or it is cgroup v2, they
#     are left alone. With `docker run --cgroupns private` the fresh mounts show
#     the DinD's own cgroup as their root, so the range's VMs nest under (and
#     are limited by) the DinD's cgroup.
#  2. /run/cyroid: the bind mount of a per-range host directory. The inner
#     engine listens there (unix socket docker.sock) so that the orchestrator on
#     the host can reach it without any TCP listener.
#  3. shared images: when Cyroid mounts its shared read-only copy of the common
#     images at /var/lib/cyroid-golden (a complete one: its builder wrote the
#     marker last) and this DinD's own /var/lib/docker is still empty, the
#     engine state starts as that copy without its layer files: the metadata
#     (well under a megabyte) is copied, and every layer's diff/ folder becomes
#     a symlink into the read-only copy. overlay2 only ever uses those folders
#     as lower (read-only) layers, so the VMs' writes, new images and removals
#     stay in this range's volume, and the tenth range costs what the first
#     does. Later starts of the same DinD find their state and skip this.
#  4. exec dockerd with /etc/docker/daemon.json, through the official image's
#     /usr/local/bin/dind helper when it exists (it prepares cgroup v2 nesting,
#     securityfs and /tmp on hosts where that is needed).
#
# daemon.json, key by key (JSON cannot carry comments):
#  - "hosts": ONLY unix sockets, never TCP. The inner engine's API is root on
#    this DinD, which has near-host privileges; with a TCP listener any range
#    VM could reach it through its gateway (e.g. 10.0.1.1:2375) and so could
#    other ranges through the cyroid-ranges network. Sockets:
#      unix:///var/run/docker.sock  - for operators: docker exec <dind> docker ps
#      unix:///run/cyroid/docker.sock - for the orchestrator, via the bind mount
#  - "bridge": none: no default docker0 bridge (172.17.0.0/16) inside the range.
#    Every VM is on its blueprint networks only, and a blueprint may use
#    172.17.0.0/16 itself without "pool overlaps" errors.
#  - "storage-driver": overlay2, which works when /var/lib/docker is a volume
#    (not on the container's own overlay root filesystem).
#  - "log-driver"/"log-opts": json-file, capped, so that a chatty range VM
#    cannot fill the DinD's volume.
#  Because "hosts" is set in the file, no -H/--host flag may be given to dockerd
#  (dockerd refuses the same directive in both places).
set -eu
# pipefail where the shell has it (bash, busybox ash); dash lacks it.
# shellcheck disable=SC3040
(set -o pipefail) 2>/dev/null && set -o pipefail

log() { printf '[dind-entrypoint] %s\n' "$*" >&2; }

CGROOT=/sys/fs/cgroup
CONFIG=${CYROID_DOCKERD_CONFIG:-/etc/docker/daemon.json}
SOCKET_DIR=${CYROID_SOCKET_DIR:-/run/cyroid}

cgroup_v1_readonly() {
  # Any cgroup (v1) mount under /sys/fs/cgroup with the "ro" option?
  awk -v root="$CGROOT/" '
    $3 == "cgroup" && index($2, root) == 1 && ("," $4 ",") ~ /,ro,/ { found = 1 }
    END { exit found ? 0 : 1 }' /proc/self/mounts
}

remount_cgroups_v1() {
  log "cgroup v1 hierarchies are read-only: mounting fresh writable ones"
  # In the host cgroup namespace the fresh mounts show the HOST's root
  # hierarchies: the range's VMs then land beside the host's containers, not
  # under this DinD's cgroup (no limits apply to them). Run the DinD with
  # `--cgroupns private` (API: HostConfig.CgroupnsMode=private) to nest them.
  if grep -q ':/.' /proc/self/cgroup; then
    log "warning: host cgroup namespace (own cgroup $(awk -F: '$2 ~ /memory/ {print $3}' /proc/self/cgroup)); use --cgroupns private so that range VMs nest under this DinD"
  fi
  # Deepest mount points first, then the tmpfs at the root itself.
  awk -v root="$CGROOT/" 'index($2, root) == 1 { print $2 }' /proc/self/mounts \
    | sort -r | while read -r mp; do
        umount "$mp" || umount -l "$mp" || log "warning: cannot unmount $mp"
      done
  if awk -v root="$CGROOT" '$2 == root { f = 1 } END { exit f ? 0 : 1 }' /proc/self/mounts; then
    umount "$CGROOT" || umount -l "$CGROOT" || log "warning: cannot unmount $CGROOT (mounting over it)"
  fi
  mount -t tmpfs -o mode=755,nosuid,nodev,noexec cgroup "$CGROOT"

  # One line per hierarchy: controllers sharing a hierarchy id are co-mounted
  # (e.g. "cpu,cpuacct" on many hosts); id 0 means not mounted anywhere yet.
  awk '!/^#/ && $4 == 1 {
         if ($2 == 0) print $1
         else if ($2 in g) g[$2] = g[$2] "," $1
         else g[$2] = $1
       }
       END { for (h in g) print g[h] }' /proc/cgroups \
    | while read -r ctrls; do
        mkdir -p "$CGROOT/$ctrls"
        if mount -t cgroup -o "$ctrls" cgroup "$CGROOT/$ctrls"; then
          case "$ctrls" in
            *,*) # co-mounted: also reachable under each controller's name
                 for c in $(echo "$ctrls" | tr ',' ' '); do
                   [ -e "$CGROOT/$c" ] || ln -s "$ctrls" "$CGROOT/$c"
                 done ;;
          esac
        else
          rmdir "$CGROOT/$ctrls" 2>/dev/null || true
          log "warning: cannot mount cgroup controller(s) $ctrls (skipped)"
        fi
      done

  mkdir -p "$CGROOT/systemd"
  mount -t cgroup -o none,name=systemd cgroup "$CGROOT/systemd" \
    || log "warning: cannot mount the name=systemd hierarchy"
}

if [ "$(stat -fc %T "$CGROOT" 2>/dev/null || true)" = "cgroup2fs" ]; then
  log "cgroup v2: left as it is"
elif cgroup_v1_readonly; then
  remount_cgroups_v1
else
  log "cgroup v1 hierarchies are writable: left as they are"
fi

# The orchestrator's socket directory (normally a bind mount from the host).
mkdir -p "$SOCKET_DIR"
# A restarted container may find stale files: a pid file naming a live pid
# (dockerd itself will be pid 1 again) makes dockerd refuse to start.
rm -f "$SOCKET_DIR/docker.sock"
find /run /var/run -maxdepth 3 -name 'docker*.pid' -delete 2>/dev/null || true
find /run /var/run -maxdepth 3 -name 'containerd*.pid' -delete 2>/dev/null || true

GOLDEN=${CYROID_GOLDEN_DIR:-/var/lib/cyroid-golden}
STATE=/var/lib/docker
if [ -e "$GOLDEN/cyroid-golden-complete" ] && [ ! -e "$STATE/image" ]; then
  log "engine state from the shared images in $GOLDEN"
  (cd "$GOLDEN" && find . -path './overlay2/*/diff' -prune -o -name cyroid-golden-complete -prune -o -print \
    | tar -cf - --no-recursion -T -) | tar -C "$STATE" -xf -
  for diff in "$GOLDEN"/overlay2/*/diff; do
    [ -d "$diff" ] || continue
    layer=$(basename "$(dirname "$diff")")
    mkdir -p "$STATE/overlay2/$layer"
    ln -sfn "$diff" "$STATE/overlay2/$layer/diff"
  done
fi

set -- dockerd --config-file "$CONFIG" "$@"
if [ -x /usr/local/bin/dind ]; then
  set -- /usr/local/bin/dind "$@"
fi
log "exec $*"
exec "$@"
