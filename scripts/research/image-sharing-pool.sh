#!/usr/bin/env bash
# RESEARCH ONLY (issue 6, item 2). With the d-share seed (golden layers shared read-only):
#  1. 10 pool DinDs started at the same time, until every engine answers and ran a container from $IMG;
#  2. a "2-VM range deploy" into an already started pool DinD (network + 2 containers from $IMG running),
#     and the baseline: the same deploy into a started DinD without the image (docker save | load first).
# ROUNDS repeats (default 3). Results appended to $WORK/results/results.csv (option pool-*).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/research/image-sharing-lib.sh
. "$HERE/image-sharing-lib.sh"
ROUNDS=${ROUNDS:-3}; G=cyroid-imgres-golden
trap imgres_cleanup EXIT
imgres_cleanup; ensure_net
docker volume create "${LABELS[@]}" $G >/dev/null
start_dind $G type=volume,src=$G,dst=/var/lib/docker; wait_engine $G
docker save "$IMG" | inner $G load >/dev/null; stop_dind $G; docker rm $G >/dev/null
SEED='set -e
if [ ! -e /var/lib/docker/image ]; then
  tar -C /golden --exclude="./overlay2/*/diff" -cf - . | tar -C /var/lib/docker -xf -
  for d in /golden/overlay2/*/diff; do ln -s "$d" "/var/lib/docker/overlay2/$(basename "$(dirname "$d")")/diff"; done
fi
exec /usr/local/bin/cyroid-dind-entrypoint "$@"'
pool_dind() { docker volume create "${LABELS[@]}" "$1" >/dev/null
  start_dind "$1" "type=volume,src=$1,dst=/var/lib/docker" --mount "type=volume,src=$G,dst=/golden,readonly" \
    --entrypoint /bin/sh -- -c "$SEED" sh; }
deploy2() { # NAME: a blueprint network and two VMs with fixed addresses, both running
  inner "$1" network create --subnet 10.0.1.0/24 net1 >/dev/null
  inner "$1" run -d --name vm1 --network net1 --ip 10.0.1.10 "$IMG" >/dev/null
  inner "$1" run -d --name vm2 --network net1 --ip 10.0.1.11 "$IMG" >/dev/null
  [ "$(inner "$1" inspect -f '{{.State.Running}}' vm1 vm2 | sort -u)" = true ]
}
for r in $(seq 1 "$ROUNDS"); do
  t=$(now)
  for k in $(seq 1 10); do pool_dind "cyroid-imgres-pool-$r-$k" & done; wait
  for k in $(seq 1 10); do (wait_engine "cyroid-imgres-pool-$r-$k" && run_check "cyroid-imgres-pool-$r-$k") & done; wait
  record pool-parallel 10 "$r" all_ready_s "$(since "$t")"
  mem=$(docker stats --no-stream --format '{{.MemUsage}}' $(docker ps -q --filter name=cyroid-imgres-pool-$r-) \
    | awk '{print $1}' | sed 's/MiB//' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  record pool-parallel 10 "$r" idle_mem_median_mib "$mem"
  t=$(now); deploy2 "cyroid-imgres-pool-$r-1"; record pool-deploy2 1 "$r" seeded_s "$(since "$t")"
  n=cyroid-imgres-pool-$r-bare; docker volume create "${LABELS[@]}" $n >/dev/null
  start_dind $n type=volume,src=$n,dst=/var/lib/docker; wait_engine $n
  t=$(now); docker save "$IMG" | inner $n load >/dev/null; deploy2 $n; record pool-deploy2 1 "$r" baseline_load_s "$(since "$t")"
  docker rm -f $(docker ps -aq --filter label=cyroid.test=image-research --filter name=cyroid-imgres-pool-$r-) >/dev/null
  docker volume rm $(docker volume ls -q --filter label=cyroid.test=image-research --filter name=cyroid-imgres-pool-$r-) >/dev/null
done
