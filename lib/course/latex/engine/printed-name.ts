import { kindOfName, printedText } from "./tex-text";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Where `counter`'s number is printed in TeX source: `\the<counter>`, `\csname the<counter>\endcsname`, `\arabic{<counter>}`. */
function numberOf(counter: string): RegExp {
  const c = escape(counter);
  return new RegExp(`\\\\the${c}(?![A-Za-z@])|\\\\csname ?the${c}\\\\endcsname|\\\\(?:arabic|roman|Roman|alph|Alph) ?\\{${c}\\}`);
}

/**
 * The words printed right before the number `marker` finds in `tex` (a box macro's body, an environment's
 * definition): "…\textbf {Key Idea \thekeyideacounter }…" → "Key Idea". Null when no capitalised words come
 * right before it (a generic helper that gets the name as an argument).
 */
export function nameBefore(tex: string, marker: RegExp): string | null {
  const at = marker.exec(tex);
  if (!at) return null;
  const cut = tex.slice(Math.max(0, at.index - 160), at.index);
  // a cut word is no name; a closing brace ends a word ("{keyideacounter}Key" is two)
  const before = printedText((at.index > 160 ? cut.replace(/^\S*\s/, "") : cut).replace(/\}/g, "} "));
  const words = before.replace(/[\s:.,;=(\[]+$/, "").split(/[\s=([{]+/).filter(Boolean).slice(-3);
  while (words.length && !/^\p{Lu}/u.test(words[0])) words.shift();
  if (!words.length || !words.every((w) => /^\p{L}[\p{L}'’-]*$/u.test(w))) return null;
  return words.join(" ");
}

/** `nameBefore` for the number of `counter`. */
export function nameBeforeNumber(tex: string, counter: string): string | null {
  return nameBefore(tex, numberOf(counter));
}

/**
 * The printed name of what steps `counter` in `tex`: the words before its number; else before the first other
 * `\the…` after the step (a box that steps `equation` and prints `\theexample`); else in the helper macro that
 * number is handed to (`\exampletitle {\theexample }` with `\exampletitle` printing "Example~#1").
 */
export function printedName(tex: string, counter: string, macros: ReadonlyMap<string, string>): string | null {
  const direct = nameBeforeNumber(tex, counter);
  if (direct) return direct;
  const step = new RegExp(`stepcounter ?\\{${escape(counter)}\\}`).exec(tex);
  const after = step ? tex.slice(step.index + step[0].length) : tex;
  const other = /\\the([A-Za-z]+)(?![A-Za-z@])/.exec(after);
  if (!other) return null;
  const named = nameBefore(after, numberOf(other[1]));
  if (named) return named;
  const helper = new RegExp(`\\\\([A-Za-z]+) ?\\{[^{}]*\\\\the${other[1]}(?![A-Za-z@])`).exec(after);
  const body = helper ? macros.get(helper[1]) : undefined;
  return body ? nameBefore(body, /#1/) : null;
}

/** A counter or environment name as a printed name: "definitioncounter" → "Definition", "key_idea" → "Key idea". */
export function nameFromIdentifier(id: string): string {
  const base = id.replace(/(counter|cnt|ctr|count|num|nr|no)$/i, "").replace(/[_-]+/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").trim() || id;
  return base.charAt(0).toUpperCase() + base.slice(1);
}

/** "key idea" → "Key Idea" for labels: each word capitalised as a printed name usually is. */
export function labelName(name: string): string {
  const kind = kindOfName(name);
  const printed = name.replace(/[^\p{L}\p{N}' -]+/gu, "").trim();
  // keep the book's capitalisation when it printed one ("Key Idea"), else capitalise the first letter
  return kindOfName(printed) === kind && printed ? printed : kind.charAt(0).toUpperCase() + kind.slice(1);
}
