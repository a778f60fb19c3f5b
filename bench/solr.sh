#!/usr/bin/env bash
# SolrCloud beside the local index, on the same files: indexing stories/s,
# whole-process query latency (p50, p99) over bench/queries.txt, and the
# research views over every story (median of three), for both.
#   bench/solr.sh [BIN_DIR] [FILES...]   (default: target/release, Reuters-21578)
# Starts a local 2-node cluster (solr/cluster), collection 2 shards x 2 replicas.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release}"; shift || true
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("${DATELINE_SHARED:-../shared}"/data/reuters21578/reut2-*.sgm)
work="$(mktemp -d)"
trap 'solr/cluster/cluster down --dir "$work/cluster" >/dev/null 2>&1; rm -rf "$work"' EXIT
node="$(solr/cluster/cluster up --nodes 2 --dir "$work/cluster" | cut -d' ' -f1)"
url="$node/bench"

now() { date +%s.%N; }
t0=$(now); "$bin/dateline-index" --quiet --index "$work/index" "${files[@]}"; t1=$(now)
"$bin/dateline-index" --quiet --solr "$url" --solr-shards 2 --solr-replicas 2 "${files[@]}"; t2=$(now)
stories=$("$bin/dateline" --index "$work/index" --count --all-versions --from 1900 --allow-no-match)
echo "{\"figure\":\"solr_indexing\",\"stories\":$stories,\"local_stories_per_s\":$(echo "$stories/($t1-$t0)" | bc -l | cut -c1-8),\"solr_stories_per_s\":$(echo "$stories/($t2-$t1)" | bc -l | cut -c1-8)}"

latency() { # backend flag, value -> one line of ms per query
  grep -v '^#' bench/queries.txt | sed 's/ *| *facets=\(.*\)$/\t\1/' | while IFS=$'\t' read -r q facets; do
    [ -n "$q" ] || continue
    args=(--json -n 10); [ -n "${facets:-}" ] && args+=(--facets "$facets")
    for _ in 1 2 3; do
      s=$(now); "$bin/dateline" "$1" "$2" "${args[@]}" --allow-no-match -- $q >/dev/null 2>&1 && rc=0 || rc=$?; e=$(now)
      [ "$rc" = 0 ] && echo "$(echo "($e-$s)*1000" | bc -l)"
    done
  done | sort -n
}
pct() { awk -v p="$1" '{a[NR]=$1} END {i=int((NR-1)*p/100)+1; printf "%.1f", a[i]}'; }
set -f  # queries hold * and ?
latency --index "$work/index" >"$work/local.ms"
latency --solr "$url" >"$work/solr.ms"
echo "{\"figure\":\"solr_query_latency_ms\",\"local_p50\":$(pct 50 <"$work/local.ms"),\"local_p99\":$(pct 99 <"$work/local.ms"),\"solr_p50\":$(pct 50 <"$work/solr.ms"),\"solr_p99\":$(pct 99 <"$work/solr.ms"),\"runs\":$(wc -l <"$work/solr.ms")}"

view_ms() { # backend flag, value, view args... -> median ms of three runs
  local b="$1" v="$2"; shift 2
  for _ in 1 2 3; do
    s=$(now); "$bin/dateline" "$b" "$v" "$@" >/dev/null 2>&1; e=$(now)
    echo "($e-$s)*1000" | bc -l
  done | sort -n | sed -n 2p | cut -d. -f1
}
set +f
for view in "--timeline month" "--timeline day --normalize" "--csv -n all" "--network org,place" "--kwic prices"; do
  read -ra args <<<"$view"
  echo "{\"figure\":\"solr_view_ms\",\"view\":\"$view\",\"local\":$(view_ms --index "$work/index" "${args[@]}"),\"solr\":$(view_ms --solr "$url" "${args[@]}")}"
done
