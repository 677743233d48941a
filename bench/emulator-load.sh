#!/usr/bin/env bash
# Token requests per second the emulator sustains on loopback, measured with wrk, against a
# baseline in the same run: the emulator's trivial health route (same server, no API logic).
# Usage: bench/emulator-load.sh [seconds] [connections]   (needs wrk and python3)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
secs=${1:-10}
conns=${2:-32}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

cargo build -q --release -p cloudneeti-emulator
emu=target/release/cloudneeti-emulator
# The demo key is rate limited like a real subscription; the load test lifts that limit.
"$emu" seed | python3 -c '
import json, sys
seed = json.load(sys.stdin)
for key in seed["apiKeys"]:
    key["rateLimit"] = None
print(json.dumps(seed))' > "$work/seed.json"
"$emu" serve --seed "$work/seed.json" > "$work/out" 2>/dev/null &
pid=$!
for _ in $(seq 50); do [ -s "$work/out" ] && break; sleep 0.1; done
url=$(head -n1 "$work/out")

cat > "$work/token.lua" <<'LUA'
wrk.method = "POST"
wrk.path = "/authorize/license/6f1d3c2a-9b4e-4c1a-8f2d-1a2b3c4d5e01/token"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Ocp-Apim-Subscription-Key"] = "0123456789abcdef0123456789abcdef"
wrk.body = '{"APIApplicationId":"0b7e5f3a-2c1d-4e8f-9a6b-7c8d9e0f1a02","Secret":"DEMO-public-app-secret-0b7e5f3a"}'
done = function(summary, latency, requests)
  io.write(string.format("non-2xx-or-errors %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

rps() { awk '/Requests\/sec/ {print $2}'; }
curl -s -o /dev/null -X POST "$url/authorize/license/6f1d3c2a-9b4e-4c1a-8f2d-1a2b3c4d5e01/token" # warm up
token_out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$work/token.lua" "$url")
health_out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$url/_emulator/health")
token_rps=$(rps <<<"$token_out")
health_rps=$(rps <<<"$health_out")
echo "$token_out" | grep -E "Latency|50%|99%|non-2xx"
echo "token requests/s:  $token_rps"
echo "health requests/s: $health_rps (baseline: same server, no API logic)"
awk -v t="$token_rps" -v h="$health_rps" 'BEGIN {printf "ratio token/baseline: %.2f\n", t/h}'
