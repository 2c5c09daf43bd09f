#!/usr/bin/env bash
# Thread wake-ups (voluntary context switches) and CPU per second, by thread name, of each gateway of the cluster
# benchmark (bench/run-cluster-bench.sh: 1 publisher on node 1, 5 + 5 subscribers on nodes 2 and 3, 5,000 msg/s), over
# 10 s after a 30 s warm-up, from /proc/<pid>/task/*/status and schedstat. Session 6 (BENCHMARKS.md) used it.
#
#   flock -o /work/wt/bench.lock bench/run-cluster-wakeups.sh bench/target /tmp/wakeups
set -euo pipefail
DIR=$1; OUT=$2; JAR=$DIR/skynet-bridge-bench.jar
mkdir -p "$OUT"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
NATS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
/usr/sbin/nats-server -a 127.0.0.1 -p $NATS_PORT >"$OUT/nats.log" 2>&1 & NATS_PID=$!; PIDS+=($NATS_PID)
sleep 0.5
declare -a NP NPORT
for n in 1 2 3; do
  java -Xms64m -Xmx512m -cp "$JAR" dev.skynetbridge.bench.BenchServer --port 0 --max-seconds 300 --nats-url nats://127.0.0.1:$NATS_PORT --node-id node-$n >"$OUT/node$n.log" 2>&1 &
  NP[$n]=$!; PIDS+=(${NP[$n]})
  for _ in $(seq 1 200); do grep -q '^pid=' "$OUT/node$n.log" 2>/dev/null && break; sleep 0.1; done
  NPORT[$n]=$(sed -n 's/^pid=[0-9]* port=\([0-9]*\).*/\1/p' "$OUT/node$n.log")
done
java -Xmx1g -cp "$JAR" dev.skynetbridge.bench.ServerLoadTool fanout --pubs 1 --subs 10 --warmup 30 --duration 20 --delivered-rate 50000 \
  --url ws://127.0.0.1:${NPORT[1]}/connect --sub-urls ws://127.0.0.1:${NPORT[2]}/connect,ws://127.0.0.1:${NPORT[3]}/connect \
  --server-pid ${NP[1]} --more-pids ${NP[2]},${NP[3]} --settle-ms 1000 --label wakeups >"$OUT/load.log" 2>&1 & LOAD=$!; PIDS+=($LOAD)
sleep 36
snap() { for n in 1 2 3; do for t in /proc/${NP[$n]}/task/*; do
  c=$(cat $t/comm 2>/dev/null) || continue
  v=$(awk '/^voluntary_ctxt_switches/{print $2}' $t/status 2>/dev/null) || continue
  r=$(awk '{print $1}' $t/schedstat 2>/dev/null) || continue
  echo "node-$n|$(basename $t)|$c|$v|$r"; done; done
  echo "nats|0|nats-server|$(awk '/^voluntary_ctxt_switches/{s+=$2} END{print s}' /proc/$NATS_PID/task/*/status)|$(awk '{s+=$1} END{print s}' /proc/$NATS_PID/task/*/schedstat)"; }
snap >"$OUT/before.txt"; sleep 10; snap >"$OUT/after.txt"
python3 - "$OUT" <<'PY'
import sys, re, collections
out=sys.argv[1]
def load(f):
    d={}
    for l in open(f):
        n,t,c,v,r=l.strip().split('|'); d[(n,t)]=(c,int(v),int(r))
    return d
b=load(out+'/before.txt'); a=load(out+'/after.txt')
g=collections.defaultdict(lambda:[0,0])
for k,(c,v,r) in a.items():
    if k not in b: continue
    c=re.sub(r'[-#]?\d+$','',c)
    g[(k[0],c)][0]+=v-b[k][1]; g[(k[0],c)][1]+=r-b[k][2]
print("| process | threads | wake-ups/s | CPU ms/s |")
print("|---|---|---:|---:|")
for (n,c),(v,r) in sorted(g.items()):
    if v/10 >= 5 or r/1e7 >= 1:
        print(f"| {n} | {c} | {v/10:,.0f} | {r/1e7:.1f} |")
PY
grep '^RESULT' "$OUT/load.log" || true
wait $LOAD || true
