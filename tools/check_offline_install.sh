#!/usr/bin/env bash
# The workshop kit works with no network: fill a wheelhouse, then install a fresh clone
# from it with the package index disabled (and, where the kernel allows it, with no
# network at all via `unshare -n`). Run by .ci/run; takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
make wheelhouse
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone -q . "$tmp/clone"
house="$(pwd)/wheelhouse"
nonet=""
if unshare -n true 2>/dev/null; then nonet="unshare -n"; fi
start=$(date +%s)
(cd "$tmp/clone" && $nonet make setup WHEELHOUSE="$house" PYTHON="${PYTHON:-python3}")
echo "offline install from the wheelhouse: $(( $(date +%s) - start )) s ${nonet:+(no network: unshare -n)}"
"$tmp/clone/.venv/bin/python" -c "import mkt_lessons, sklearn, statsmodels, nbval, jupyterlab; print('offline install ok')"
