#!/usr/bin/env bash
# The one test command (README "Tests", .ci/run): installs what a fresh clone lacks, then runs
# type checks, unit and integration tests (real LanceDB, real transformers.js on the fixture models,
# the built Next.js app over HTTP). No network beyond the npm registry and Debian's packages.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund
fi

echo "==> typecheck"
npx tsc --noEmit -p .

echo "==> next build"
npx next build > /tmp/course-tutor-build.log 2>&1 || { tail -50 /tmp/course-tutor-build.log; exit 1; }

echo "==> unit + integration tests"
npx vitest run
