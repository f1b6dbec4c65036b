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

# TeX Live from Debian (the LaTeX engine tests compile real documents with pdflatex and lualatex): only the
# packages the tests need. apt-get update runs at most once for TeX and Chromium together.
APT_UPDATED=""
apt_install() {
  if [ -z "$APT_UPDATED" ]; then apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" > /dev/null
}
if ! command -v pdflatex > /dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get > /dev/null; then
    echo "==> apt-get install TeX Live (texlive-latex-base, -recommended, -extra)"
    apt_install texlive-latex-base texlive-latex-recommended texlive-latex-extra
  else
    echo "TeX is missing: run  sudo apt-get install -y texlive-latex-base texlive-latex-recommended texlive-latex-extra  and try again" >&2
    exit 1
  fi
fi

# poppler-utils: the PDF tests check pdf.js's reading against pdftotext's and make a "scan" with pdftoppm; the app
# draws cited PDF pages and PDF figures with pdftoppm/pdfinfo (tests/integration/figure-image.test.ts, e2e citations).
if ! command -v pdftotext > /dev/null || ! command -v pdftoppm > /dev/null || ! command -v pdfinfo > /dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get > /dev/null; then
    echo "==> apt-get install poppler-utils"
    apt_install poppler-utils
  else
    echo "poppler-utils is missing: run  sudo apt-get install -y poppler-utils  and try again" >&2
    exit 1
  fi
fi

echo "==> typecheck"
npx tsc --noEmit -p .

echo "==> next build"
npx next build > /tmp/course-tutor-build.log 2>&1 || { tail -50 /tmp/course-tutor-build.log; exit 1; }

# The shared-limits tests and the replica topology test (tests/integration/replicas.test.ts) run a real Redis
# (Debian's redis-server) on a free loopback port; its object storage, s3rver, is an npm devDependency.
if ! command -v redis-server > /dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get > /dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server > /dev/null
  else
    echo "Debian's redis-server is missing: run  sudo apt-get install -y redis-server  and try again" >&2
    exit 1
  fi
fi

# Debian's Chromium: the end-to-end tests drive it, and tests/integration/pdf-markdown.test.ts prints a Markdown
# chapter to PDF with it, so it is installed before the unit + integration tests.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get > /dev/null; then
    apt_install chromium
  else
    echo "Debian's Chromium is missing: run  sudo apt-get install -y chromium  and try again" >&2
    exit 1
  fi
fi

echo "==> unit + integration tests"
npx vitest run

echo "==> end-to-end tests (Playwright on Debian's Chromium)"
# The app was built above; the e2e global setup starts it (twice: fake LLM and no LLM) on a temp store.
E2E_SKIP_BUILD=1 npx playwright test
