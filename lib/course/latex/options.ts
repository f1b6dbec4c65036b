/**
 * enumitem-style options and list labels: `key=value` lists, the part letter of a label, the exercise
 * number of an exercise list's label.
 */

/** Splits enumitem-style `key=value, key` options at top-level commas. */
export function parseKeyVals(opts: string): Map<string, string> {
  const out = new Map<string, string>();
  let depth = 0;
  let cur = "";
  const flush = () => {
    const t = cur.trim();
    cur = "";
    if (!t) return;
    const eq = t.indexOf("=");
    const key = (eq < 0 ? t : t.slice(0, eq)).trim();
    let val = eq < 0 ? "" : t.slice(eq + 1).trim();
    if (val.startsWith("{") && val.endsWith("}")) val = val.slice(1, -1);
    out.set(key, val);
  };
  for (const ch of opts) {
    if (ch === "{") depth++;
    else if (ch === "}") depth = Math.max(0, depth - 1);
    if (ch === "," && depth === 0) flush();
    else cur += ch;
  }
  flush();
  return out;
}

/** "(a)" → "a", "iii." → "iii": the part letter as students cite it. */
export function partName(label: string): string {
  return label.replace(/^[\s([{]+|[\s)\]}.:]+$/g, "").trim();
}

/** "Exercise 3.7." → "3.7". */
export function exerciseNumber(label: string): string {
  return label
    .replace(/^\s*(exercises?|problems?|ex\.?|aufgabe)\s*/i, "")
    .replace(/[\s.:)]+$/g, "")
    .replace(/^\(/, "")
    .trim();
}
