#!/usr/bin/env bash
# What nix/package.nix does, without Nix: every tarball fetched by the URL and
# integrity that pnpm-lock.yaml pins, a pnpm store filled from them with no
# network, then `pnpm install --offline --frozen-lockfile` in a clean checkout
# and the bundle. Run from the repository (CI: scripts/dev.sh exec bash nix/ci-offline-install.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

node scripts/offline-deps.ts check
node scripts/offline-deps.ts download "$work/tarballs"
export npm_config_store_dir="$work/store" CI=true
# As in nix/package.nix: the pnpm at hand runs, whatever version package.json names.
export npm_config_manage_package_manager_versions=false npm_config_package_manager_strict=false
node scripts/offline-deps.ts fill-store "$work/tarballs" "$work/store"

git clone --quiet . "$work/src"
cd "$work/src"
pnpm install --offline --frozen-lockfile --ignore-scripts --reporter=silent
pnpm bundle --out "$work/out" > /dev/null
"$work/out/bin/atbb" --version
test -f "$work/out/share/atbb/drizzle/meta/_journal.json"
test -f "$work/out/share/atbb/drizzle-sqlite/meta/_journal.json"
echo "offline install and bundle: ok"
