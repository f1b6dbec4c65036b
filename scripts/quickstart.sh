#!/usr/bin/env bash
# Quick start (README): install, get the embedding model if the network allows, ingest the demo course,
# build and serve the app on http://localhost:3000. Safe to re-run: each step skips work already done.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# LaTeX notes get their printed numbers from the real TeX engine (lib/course/latex/engine) when TeX is
# installed; without it they are derived from the source. Install TeX Live from Debian when we can.
if ! command -v pdflatex > /dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get > /dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq texlive-latex-base texlive-latex-recommended texlive-latex-extra > /dev/null
  else
    echo "Note: TeX is not installed; LaTeX numbering is derived from the source. For exact numbers:" >&2
    echo "      sudo apt-get install -y texlive-latex-base texlive-latex-recommended texlive-latex-extra" >&2
  fi
fi
# Fetches and converts the model when reachable; otherwise warns loudly and retrieval runs on full-text.
npm run --silent model -- ensure || true
npm run --silent ingest -- content/demo-course
npx next build
exec npx tsx server.ts --port "${PORT:-3000}"
