#!/usr/bin/env bash
# One-time (and idempotent) set-up of a fresh machine: Debian packages,
# npm packages, and the data the tests and the cpu profile use.
#
#   npm run setup              # what the tests and the report need
#   npm run setup -- --bench   # plus PyTorch and numpy for the benchmarks
#
# Each step checks first and skips what is already there, so running it
# again costs seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

want_bench=0
for arg in "$@"; do
  case "$arg" in
    --bench) want_bench=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "setup: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf '[setup] %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------
# Read from scripts/debian-packages.txt (tests, report) and
# scripts/debian-packages-bench.txt (benchmarks only).
lists=(scripts/debian-packages.txt)
[ "$want_bench" = 1 ] && lists+=(scripts/debian-packages-bench.txt)
mapfile -t pkgs < <(grep -hv '^\s*#' "${lists[@]}" | awk 'NF {print $1}')
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    say "missing Debian packages: ${missing[*]}"
    say "install them as root: apt-get install ${missing[*]}"
    exit 1
  fi
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "Debian packages present (${#pkgs[@]})"
fi

# --- npm packages ------------------------------------------------------------
# Re-install only when package-lock.json changed since the last install.
stamp=node_modules/.sgdl-lock-hash
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ]; then
  say "npm packages up to date"
else
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > "$stamp"
fi

# --- the native engine ---------------------------------------------------------
# oneDNN kernels under TensorFlow.js (lib/engine/native), built from source
# against Debian's libdnnl-dev; make rebuilds only what changed. Where it
# cannot build, everything still runs on the wasm engine (slower).
native_log=$(mktemp)
if make -s -C lib/engine/native >"$native_log" 2>&1; then
  say "native engine built (lib/engine/native/build)"
else
  say "native engine NOT built; the wasm engine will be used. Build output:"
  tail -n 20 "$native_log" | sed 's/^/[setup]   /'
fi
rm -f "$native_log"

# --- lib/ for the notebook kernel -------------------------------------------
# Compiled once (.cache/kernel: CommonJS + declarations) so that a new
# kernel imports lib/ in seconds; the kernel rebuilds what changes later.
node scripts/kernel-lib.cjs | sed 's/^\[kernel\]/[setup]/'

# --- JupyterLab for npm run lab -------------------------------------------------
# A venv of its own (.cache/jupyter: jupyterlab and plotly, from pip's
# configured index); the test of saving through JupyterLab's server uses it.
# Where pip cannot install it, set-up goes on and that test is skipped.
npx tsx scripts/lab.ts --prepare 2>&1 |
  sed 's/^\[lab\]/[setup]/; s/^lab:/[setup] JupyterLab NOT installed:/' || true

# --- data --------------------------------------------------------------------
# Real CIFAR-10 (rebuilt into the official binary batches, MD5-checked) and
# the Brown corpus in PTB form and the synthetic keywords (stand-ins).
npm run --silent data -- cifar10 brown-ptb keywords
say "done"
