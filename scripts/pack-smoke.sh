#!/usr/bin/env bash
# Packs packages with `pnpm pack` and installs the tarballs into an empty npm project, then imports each by
# name: proves the published shape (exports maps, dist, files, rewritten workspace: ranges) works.
set -euo pipefail
cd "$(dirname "$0")/.."
PKGS=(${@:-hub tokenizer core})
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for p in "${PKGS[@]}"; do (cd "packages/$p" && pnpm pack --pack-destination "$tmp" >/dev/null); done
mkdir "$tmp/app" && cd "$tmp/app"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts "$tmp"/*.tgz >/dev/null
for p in "${PKGS[@]}"; do
  node --input-type=module -e "const m = await import('@distilbert/$p'); if (Object.keys(m).length === 0) throw new Error('@distilbert/$p exports nothing'); console.log('@distilbert/$p imports:', Object.keys(m).slice(0, 6).join(', '), '...');"
done
