import { kindOfName, printedText } from "./tex-text";

/**
 * The printed name of a numbered thing, read from the TeX that prints it: the words right before its number in
 * a box macro's body or an environment's definition ("…\textbf {Key Idea \thekeyideacounter }…" → "Key Idea").
 * Null when the definition prints no name before the number (a generic helper that gets the name as an argument).
 */
export function nameBeforeNumber(tex: string, counter: string): string | null {
  const c = counter.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const number = new RegExp(`\\\\the${c}(?![A-Za-z@])|\\\\csname ?the${c}\\\\endcsname|\\\\(?:arabic|roman|Roman|alph|Alph) ?\\{${c}\\}`);
  const at = number.exec(tex);
  if (!at) return null;
  const cut = tex.slice(Math.max(0, at.index - 160), at.index);
  // a cut word is no name; a closing brace ends a word ("{keyideacounter}Key" is two)
  const before = printedText((at.index > 160 ? cut.replace(/^\S*\s/, "") : cut).replace(/\}/g, "} "));
  const words = before.replace(/[\s:.,;=(\[]+$/, "").split(/[\s=([{]+/).filter(Boolean).slice(-3);
  while (words.length && !/^\p{Lu}/u.test(words[0])) words.shift();
  if (!words.length || !words.every((w) => /^\p{L}[\p{L}'’-]*$/u.test(w))) return null;
  return words.join(" ");
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
