#!/usr/bin/env bash
# bench/cluster.sh [SIZE]: the cluster against a single-node count, on this machine, with a real Redis (AOF on,
# appendfsync everysec) and real `tagstream node` processes on loopback ports.
#
# 1. Throughput: the standard data set (`tagstream gen --size SIZE`, default 1G: seed 42, Zipf 1.1 over 1 M tags)
#    counted RUNS times (default 2) by `count --source replay` alone and by a one-node cluster (`count --cluster`,
#    10 s batches), alternated, then once by a three-node cluster; tags/s from wall time of the whole `count`
#    process (job registration and the last commit included). Fails unless every run's final top 20 and totals equal
#    the single node's.
# 2. Per batch: for the one-node cluster's last run, each batch's posts, tags, distinct hashtags changed (the entries
#    sent to the shards and updated in Redis) and their bytes, beside the state's size.
# 3. Failover: a synthetic job (100 k posts/s, 1 s batches) on three nodes; KILLS times (default 3) the node running
#    its ingest is killed with SIGKILL and started again; prints the time from the kill to the next committed batch.
#
# Environment: RUNS, KILLS; KEEP_DATA=1 keeps the generated file in bench/data/ (git-ignored); PORT_BASE (default
# 23100) for Redis and the nodes' ports. Write the figures with `uptime` beside them: the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
size=${1:-1G}
runs=${RUNS:-2}
kills=${KILLS:-3}
base=${PORT_BASE:-23100}
export LC_ALL=C DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
command -v redis-server > /dev/null || { echo "cluster: install Debian's redis-server first" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tagstream-cluster.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2> /dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "== building (Release)"
dotnet build -c Release -v q -nologo src/Tagstream.Cli > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 2; }
cli=(dotnet "$repo/src/Tagstream.Cli/bin/Release/net10.0/Tagstream.Cli.dll")

if [ "${KEEP_DATA:-0}" = 1 ]; then
  mkdir -p bench/data
  data=$repo/bench/data/standard-$size.txt
else
  data=$work/standard-$size.txt
fi
if [ ! -s "$data" ]; then
  echo "== generating $data: tagstream gen --size $size"
  "${cli[@]}" gen --size "$size" --out "$data.partial"
  mv "$data.partial" "$data"
fi

redis_port=$base
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --appendonly yes --appendfsync everysec --save "" \
  > "$work/redis.log" 2>&1 &
pids+=($!)
until redis-cli -p "$redis_port" ping > /dev/null 2>&1; do sleep 0.1; done
url=redis://127.0.0.1:$redis_port
node_count=0
start_node() { # start_node ID CLUSTER: a node whose output goes to $work/node-ID.out; waits until it has joined
  local id=$1 cluster=$2 out=$work/node-$1.out
  "${cli[@]}" node --cluster "$url" --cluster-id "$cluster" --silo-port $((base + 10 + id)) --gateway-port $((base + 50 + id)) > "$out" 2>&1 &
  node_pid[$id]=$!
  pids+=($!)
  until grep -q '^joined cluster' "$out"; do sleep 0.2; done
}
declare -A node_pid

now() { date +%s.%N; }
final() { # final FILE: "total_tags distinct top20" of the last jsonl line
  python3 -c '
import json, sys
last = json.loads(open(sys.argv[1]).read().splitlines()[-1])
print(last["total_tags"], last["distinct_tags"], json.dumps(last["top"][:20]))' "$1"
}

echo "== throughput: $data ($(du -h "$data" | cut -f1)), $(uptime)"
start_node 1 bench-one
reference=
single=()
clustered=()
for run in $(seq 1 "$runs"); do
  t0=$(now)
  "${cli[@]}" count --source replay --file "$data" --until-eof --output jsonl --interval 10s --no-checkpoint --no-dashboard > "$work/single.jsonl"
  t1=$(now)
  "${cli[@]}" count --cluster "$url" --cluster-id bench-one --job "one-$run" --source replay --file "$data" --until-eof --output jsonl \
    --interval 10s --no-dashboard > "$work/one.jsonl" 2> /dev/null
  t2=$(now)
  reference=$(final "$work/single.jsonl")
  [ "$(final "$work/one.jsonl")" = "$reference" ] || { echo "cluster: the one-node cluster's totals differ from the single node's" >&2; exit 1; }
  tags=${reference%% *}
  single+=("$(python3 -c "print(f'{$tags / ($t1 - $t0) / 1e6:.1f}')")")
  clustered+=("$(python3 -c "print(f'{$tags / ($t2 - $t1) / 1e6:.1f}')")")
  echo "run $run: single node ${single[-1]} M tags/s, one-node cluster ${clustered[-1]} M tags/s ($(uptime | sed 's/.*load/load/'))"
done

echo "== per batch of the one-node cluster (job one-$runs): posts, tags, changed hashtags, bytes sent, state size"
last_batch=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])["batch"])' "$work/one.jsonl")
for batch in $(seq 1 "$last_batch"); do
  redis-cli -p "$redis_port" --raw hget "tagstream:bench-one:{one-$runs:ingest}:results" "$batch"
done | python3 -c '
import json, sys
for line in sys.stdin:
    if line.strip():
        b = json.loads(line)
        print("batch {}: {} posts, {} tags, {} changed, {} bytes, state {} hashtags".format(
            b["batch"], b["posts"], b["tags"], b["changed"], b["change_bytes"], b["distinct_tags"]))'

echo "== three nodes"
start_node 2 bench-three
start_node 3 bench-three
start_node 4 bench-three
t0=$(now)
"${cli[@]}" count --cluster "$url" --cluster-id bench-three --job three --source replay --file "$data" --until-eof --output jsonl \
  --interval 10s --no-dashboard > "$work/three.jsonl" 2> /dev/null
t1=$(now)
[ "$(final "$work/three.jsonl")" = "$reference" ] || { echo "cluster: the three-node cluster's totals differ from the single node's" >&2; exit 1; }
echo "three-node cluster: $(python3 -c "print(f'{${reference%% *} / ($t1 - $t0) / 1e6:.1f}')") M tags/s ($(uptime | sed 's/.*load/load/'))"

echo "== failover: kill -9 of the node running the ingest, to the next committed batch (synthetic, 100 k posts/s, 1 s batches)"
"${cli[@]}" count --cluster "$url" --cluster-id bench-three --job failover --source synthetic --rate 100000 --interval 1s \
  --output jsonl --no-dashboard > "$work/failover.jsonl" 2> /dev/null &
viewer=$!
pids+=($viewer)
declare -A seen=([2]=0 [3]=0 [4]=0)
for kill in $(seq 1 "$kills"); do
  # The holder is the node that took the job since the last kill (its count of takes grew); a few batches first.
  until [ "$(wc -l < "$work/failover.jsonl")" -ge $((kill * 8)) ]; do sleep 0.2; done
  holder=
  until [ -n "$holder" ]; do
    for id in 2 3 4; do
      taken=$(grep -c '^job failover: reading' "$work/node-$id.out" || true)
      if [ "$taken" -gt "${seen[$id]}" ]; then holder=$id; fi
    done
    sleep 0.1
  done
  for id in 2 3 4; do seen[$id]=$(grep -c '^job failover: reading' "$work/node-$id.out" || true); done
  seen[$holder]=0
  killed_at=$(date -u +%s.%N)
  kill -9 "${node_pid[$holder]}"
  batches=$(wc -l < "$work/failover.jsonl")
  until [ "$(wc -l < "$work/failover.jsonl")" -gt "$batches" ] && python3 -c '
import json, sys, datetime
times = [datetime.datetime.fromisoformat(json.loads(l)["time"].replace("Z", "+00:00")).timestamp() for l in open(sys.argv[1]) if l.strip()]
sys.exit(0 if any(t > float(sys.argv[2]) for t in times) else 1)' "$work/failover.jsonl" "$killed_at"; do sleep 0.1; done
  python3 -c '
import json, sys, datetime
times = [datetime.datetime.fromisoformat(json.loads(l)["time"].replace("Z", "+00:00")).timestamp() for l in open(sys.argv[1]) if l.strip()]
after = min(t for t in times if t > float(sys.argv[2]))
print(f"kill {sys.argv[3]} (node {sys.argv[4]}): next batch committed {after - float(sys.argv[2]):.1f} s after the kill")' \
    "$work/failover.jsonl" "$killed_at" "$kill" "$holder"
  : > "$work/node-$holder.out"
  start_node "$holder" bench-three
done
"${cli[@]}" cluster stop --cluster "$url" --cluster-id bench-three failover > /dev/null
echo "done ($(uptime))"
