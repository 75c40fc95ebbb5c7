#!/usr/bin/env python3
"""bench/latency.py [--interval 1s] [--probes 30] [--background 2000]: from a line arriving at `tagstream count`
to its count being in a batch result.

This script is the feed: it serves the line protocol on a loopback port, starts `tagstream count --connect` with
`--output jsonl`, and sends, at a pace that does not divide the interval (so arrivals fall at every phase of the
batch clock), probe lines: probe k is the tag `zzlatency{k}` repeated 1000 + k times, so the newest probe is
always the top hashtag. Between probes it sends --background posts/s of ordinary tags. For each probe it records
when its line was written to the socket, and when the first jsonl result whose top holds the probe with its full
total was read from the counter's standard output. Target (issue 6): at most the interval plus 50 ms.
"""
import argparse, json, os, socket, statistics, subprocess, sys, threading, time

parser = argparse.ArgumentParser()
parser.add_argument("--interval", default="1s")
parser.add_argument("--probes", type=int, default=30)
parser.add_argument("--background", type=int, default=2000, help="ordinary posts per second between probes")
args = parser.parse_args()
interval = float(args.interval[:-2]) / 1000 if args.interval.endswith("ms") else float(args.interval.rstrip("s"))

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
cli = os.path.join(repo, "src/Tagstream.Cli/bin/Release/net10.0/Tagstream.Cli.dll")
if not os.path.exists(cli):
    sys.exit("latency: build first: dotnet build -c Release src/Tagstream.Cli")

server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))
server.listen(1)
port = server.getsockname()[1]
count_help = subprocess.run(["dotnet", cli, "count", "--help"], capture_output=True, text=True).stdout
extra = [option for option in ("--no-checkpoint", "--no-dashboard") if option in count_help]
counter = subprocess.Popen(["dotnet", cli, "count", "--connect", f"127.0.0.1:{port}", "--until-eof", "--output", "jsonl",
                            "--top", "5", "--interval", args.interval] + extra,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
seen = {}  # probe -> time its result line was read
batch_times = []


def read_results():
    for line in counter.stdout:
        now = time.time()
        result = json.loads(line)
        batch_times.append(now)
        for entry in result["top"]:
            tag = entry["hashtag"]
            if tag.startswith("zzlatency"):
                k = int(tag[len("zzlatency"):])
                if entry["total"] == 1000 + k and k not in seen:
                    seen[k] = now


reader = threading.Thread(target=read_results, daemon=True)
reader.start()
connection, _ = server.accept()
server.close()
connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def drain():
    # The counter opens with its resume hello; a plain line server ignores it, but must read it: closing a socket
    # with unread data sends a reset, which the counter takes for a failure (and reconnects) instead of the end.
    while connection.recv(65536):
        pass


threading.Thread(target=drain, daemon=True).start()
sent = {}
gap = interval * 0.37 + 0.011  # incommensurate with the interval
background = b"".join(b"bg%d alpha beta\n" % (i % 500) for i in range(max(1, int(args.background * gap))))
time.sleep(interval * 2)  # let the counter's first batches pass (JIT, connection)
for k in range(args.probes):
    connection.sendall(background)
    line = (" ".join([f"zzlatency{k}"] * (1000 + k)) + "\n").encode()
    sent[k] = time.time()
    connection.sendall(line)
    time.sleep(gap)
time.sleep(interval * 2 + 0.5)
connection.shutdown(socket.SHUT_WR)
counter.wait(timeout=60)
reader.join(timeout=5)

latencies = [seen[k] - sent[k] for k in sent if k in seen]
missing = [k for k in sent if k not in seen]
if missing:
    print(f"latency: probes never seen in a result: {missing}")
print(f"latency over loopback TCP, count --interval {args.interval}, {len(latencies)} probes, {args.background} background posts/s; load {os.getloadavg()[0]:.1f}")
print(f"  min {min(latencies) * 1000:.0f} ms, median {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
      f" (target: at most {interval * 1000 + 50:.0f} ms = interval + 50 ms)")
print(f"  worst lateness past the interval: {(max(latencies) - interval) * 1000:.0f} ms")
sys.exit(1 if missing else 0)
