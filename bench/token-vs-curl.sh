#!/usr/bin/env bash
# `cnaccess token PROFILE` as a whole cold process against the emulator over HTTPS, side by
# side with curl making the same POST, in the same run (hyperfine). cnaccess also reads two
# secrets from the keychain (gnome-keyring in a private D-Bus session), curl reads files.
# Usage: bench/token-vs-curl.sh [runs]        (needs hyperfine, curl, python3, gnome-keyring)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-100}
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] || [ -z "${CNACCESS_BENCH_INNER:-}" ]; then
  cargo build -q --release -p cloudneeti-cli -p cloudneeti-emulator
  CNACCESS_BENCH_INNER=1 exec scripts/with-keyring.sh "$0" "$@"
fi

work=$(mktemp -d)
trap 'kill "$emu_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
bin=$PWD/target/release
"$bin/cloudneeti-emulator" seed | python3 -c '
import json, sys
seed = json.load(sys.stdin)
for key in seed["apiKeys"]:
    key["rateLimit"] = None   # the benchmark makes more calls than the demo limit allows
print(json.dumps(seed))' > "$work/seed.json"
"$bin/cloudneeti-emulator" serve --seed "$work/seed.json" --tls --ca-out "$work/ca.pem" > "$work/out" 2>/dev/null &
emu_pid=$!
for _ in $(seq 50); do [ -s "$work/ca.pem" ] && break; sleep 0.1; done
url=$(head -n1 "$work/out")

# The emulator's public demo credentials (public by design: they open only the emulator).
eval "$("$bin/cloudneeti-emulator" seed | python3 -c '
import json, sys
s = json.load(sys.stdin)
app = s["apiApplications"][0]
print("LIC=%s APP=%s SECRET=%s KEY=%s" % (app["licenseId"], app["appId"], app["secret"], s["apiKeys"][0]["key"]))')"

export CNACCESS_CONFIG_DIR=$work/config CNACCESS_KEYCHAIN_SERVICE=cnaccess-bench SSL_CERT_FILE=$work/ca.pem
printf %s "$KEY" | "$bin/cnaccess" key set bench
"$bin/cnaccess" profile add bench --env "$url" --license "$LIC" --app-id "$APP" --api-key bench
printf %s "$SECRET" | "$bin/cnaccess" secret set bench
"$bin/cnaccess" token bench > /dev/null   # fails loudly here if anything is off

printf '{"APIApplicationId":"%s","Secret":"%s"}' "$APP" "$SECRET" > "$work/body.json"
printf 'Ocp-Apim-Subscription-Key: %s\nContent-Type: application/json\n' "$KEY" > "$work/headers"
hyperfine -N --warmup 5 --runs "$runs" --export-json "$work/result.json" \
  -n cnaccess "$bin/cnaccess token bench" \
  -n curl "curl -sf --cacert $work/ca.pem -X POST -H @$work/headers -d @$work/body.json $url/authorize/license/$LIC/token" \
  > "$work/hyperfine.txt"
python3 - "$work/result.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
ours, curl = r["cnaccess"]["median"], r["curl"]["median"]
print(f"median cnaccess token: {ours*1e3:.2f} ms   median curl: {curl*1e3:.2f} ms   ratio ours/curl: {ours/curl:.2f}")
PY
