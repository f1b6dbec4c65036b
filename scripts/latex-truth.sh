#!/usr/bin/env bash
# Regenerates the LaTeX ground truth used by tests/unit/lib/course/latex.test.ts.
#
# Compiles content/demo-course/tex/notes.tex twice with pdflatex and copies the .aux files (which
# hold \newlabel{key}{{printed number}{page}} for every \label) to tests/fixtures/latex-truth/.
# The build output (.aux, .log, .toc, .pdf) is left next to the sources on purpose: course
# folders look like that in practice, and the ingester must ignore it.
#
# Needs TeX, which CI does not have (the test only reads the committed .aux copies). On Debian/Ubuntu:
#   apt-get install -y texlive-latex-base texlive-latex-recommended texlive-latex-extra
# (amsmath/amsthm/graphicx/listings: base+recommended; enumitem, cleveref, standalone: extra;
#  TikZ for the figure comes with texlive-latex-recommended's dependency texlive-pictures.)
#
# Usage: bash scripts/latex-truth.sh [--figure]   (--figure also redraws tex/figures/convex-chord.pdf)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tex="$root/content/demo-course/tex"
truth="$root/tests/fixtures/latex-truth"

command -v pdflatex >/dev/null || { echo "pdflatex not found; see the apt-get line at the top of $0" >&2; exit 1; }

if [[ "${1:-}" == "--figure" || ! -f "$tex/figures/convex-chord.pdf" ]]; then
  tmp="$(mktemp -d)"
  cat > "$tmp/convex-chord.tex" <<'TIKZ'
\documentclass[tikz,border=2pt]{standalone}
\begin{document}
\begin{tikzpicture}[scale=1.3, >=stealth]
  \draw[->] (-0.3,0) -- (4.3,0) node[below] {$x$};
  \draw[->] (0,-0.3) -- (0,3.3);
  \draw[thick, domain=0.2:4, samples=60] plot (\x, {0.25*(\x-2)^2 + 0.5});
  \coordinate (A) at (0.6, {0.25*(0.6-2)^2 + 0.5});
  \coordinate (B) at (3.7, {0.25*(3.7-2)^2 + 0.5});
  \draw[dashed] (A) -- (B);
  \fill (A) circle (1.5pt) node[above left] {$(x, f(x))$};
  \fill (B) circle (1.5pt) node[above right] {$(y, f(y))$};
  \draw[dotted] (0.6,0) node[below] {$x$} -- (A);
  \draw[dotted] (3.7,0) node[below] {$y$} -- (B);
\end{tikzpicture}
\end{document}
TIKZ
  (cd "$tmp" && pdflatex -interaction=nonstopmode -halt-on-error convex-chord.tex >/dev/null)
  mkdir -p "$tex/figures"
  cp "$tmp/convex-chord.pdf" "$tex/figures/convex-chord.pdf"
  rm -rf "$tmp"
fi

cd "$tex"
for pass in 1 2; do
  pdflatex -interaction=nonstopmode -halt-on-error notes.tex >/dev/null || {
    echo "pdflatex failed (pass $pass); see $tex/notes.log" >&2
    exit 1
  }
done
if grep -q "There were undefined references\|multiply defined" notes.log; then
  echo "warning: undefined or duplicate labels, see $tex/notes.log" >&2
fi

mkdir -p "$truth"
cp notes.aux "$truth/notes.aux"
cp chapters/derivatives.aux "$truth/derivatives.aux"
echo "wrote $truth/notes.aux and $truth/derivatives.aux"

# The compilable parser fixtures: built in a scratch copy (no clutter in tests/), all .aux files of a
# fixture concatenated into one truth file (main.aux first, then \include'd files' .aux).
for name in numbering lists article inputs macro-chapters macro-boxes conditionals alias-counters printed refs-print; do
  tmp="$(mktemp -d)"
  cp -r "$root/tests/fixtures/latex/$name/." "$tmp/"
  (
    cd "$tmp"
    for pass in 1 2; do
      pdflatex -interaction=nonstopmode -halt-on-error main.tex >/dev/null || {
        echo "pdflatex failed for fixture $name; see $tmp/main.log" >&2
        exit 1
      }
    done
    { cat main.aux; find . -name '*.aux' ! -path ./main.aux | sort | xargs -r cat; } > "$truth/$name.aux"
    # What the PDF prints (poppler-utils' pdftotext), for the printed-text tests: list labels, captions.
    if [[ "$name" == printed || "$name" == refs-print ]]; then pdftotext -layout main.pdf "$truth/$name.txt"; fi
  )
  rm -rf "$tmp"
  echo "wrote $truth/$name.aux"
done
