#!/usr/bin/env bash
# Quick start (README): install, get the embedding model if the network allows, ingest the demo course,
# build and serve the app on http://localhost:3000. Safe to re-run: each step skips work already done.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# Fetches and converts the model when reachable; otherwise warns loudly and retrieval runs on full-text.
npm run --silent model -- ensure || true
npm run --silent ingest -- content/demo-course
npx next build
exec npx tsx server.ts --port "${PORT:-3000}"
