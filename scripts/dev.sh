#!/usr/bin/env bash
# Runs a workspace command with the toolchain atBB needs, installing what is
# missing first: Node >= 22 (Node 24 from the npm registry when the system's is
# older than 22.18) and pnpm 10, then the locked dependencies.
#
#   scripts/dev.sh start        the AppView on the embedded SQLite default (migrate, then serve)
#   scripts/dev.sh test         the whole suite, on PostgreSQL and on SQLite
#   scripts/dev.sh atbb <cmd>   the atbb command (status, migrate, backfill…)
#   scripts/dev.sh <script>     any root package.json script (typecheck, bench…)
#
# Tools it installs go to $ATBB_TOOLS_DIR (default: .tools/ in the checkout).
# Dependencies are installed again only when pnpm-lock.yaml or the toolchain changed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools=${ATBB_TOOLS_DIR:-$root/.tools}

say() { printf 'atbb dev: %s\n' "$*" >&2; }

major() { "$1" --version 2>/dev/null | sed -E 's/^v?([0-9]+).*/\1/'; }

if [ -x "$tools/node/node_modules/.bin/node" ]; then
  PATH="$tools/node/node_modules/.bin:$PATH"
fi
# The sources run through Node's own type stripping (Node >= 22.18, or 23.6+).
strips_types() { [ -n "$(node -p 'process.features.typescript || ""' 2>/dev/null)" ]; }
if ! command -v node >/dev/null || ! strips_types; then
  command -v npm >/dev/null || { say "Node.js >= 22.18 is required and npm is missing to fetch it: install Node 24 LTS (https://nodejs.org) and re-run."; exit 1; }
  say "system Node is $(node --version 2>/dev/null || echo missing); installing Node 24 into $tools/node (~120 MB download)"
  npm install --prefix "$tools/node" --no-audit --no-fund --loglevel=error node@24 >/dev/null
  PATH="$tools/node/node_modules/.bin:$PATH"
fi

if [ -x "$tools/pnpm/node_modules/.bin/pnpm" ]; then
  PATH="$tools/pnpm/node_modules/.bin:$PATH"
fi
if [ "$(major pnpm || echo 0)" != 10 ]; then
  say "pnpm 10 not found; installing it into $tools/pnpm"
  npm install --prefix "$tools/pnpm" --no-audit --no-fund --loglevel=error pnpm@10 >/dev/null
  PATH="$tools/pnpm/node_modules/.bin:$PATH"
fi
export PATH

cd "$root"
# What the installed node_modules were made from: the lockfile, Node and pnpm.
stamp=node_modules/.atbb-installed
wanted="$(cksum < pnpm-lock.yaml) node $(node --version) pnpm $(pnpm --version)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  if [ -d node_modules ]; then
    say "pnpm-lock.yaml or the toolchain changed: updating dependencies"
  else
    say "installing the locked dependencies into node_modules (~740 MB; about a minute on a first run, mostly download)"
  fi
  pnpm install --frozen-lockfile --reporter=append-only
  printf '%s\n' "$wanted" > "$stamp"
fi

if [ $# -eq 0 ]; then
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 0
fi
cli=(node --conditions=development apps/appview/src/cli.ts)
case "$1" in
  # exec'd, so that a signal to this script reaches the server itself (pnpm
  # does not pass SIGTERM on to the script it runs).
  start) shift; exec "${cli[@]}" serve --migrate "$@" ;;
  atbb) shift; exec "${cli[@]}" "$@" ;;
esac
exec pnpm "$@"
