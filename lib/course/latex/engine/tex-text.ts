/**
 * What TeX wrote into the trace, made readable. The instrumentation writes `\detokenize`d token lists: control
 * words end in a space ("\textbf {Definition \thedefinitioncounter }"), macro parameters are doubled ("##1"),
 * a character TeX cannot print may come as ^^xx. `printedText` turns a printed number, item label, title or
 * theorem name into the plain text the reader sees ("{(a)}" → "(a)", "Exercise$^\star $" → "Exercise⋆").
 */

const SYMBOLS: Record<string, string> = {
  star: "⋆", ast: "∗", dagger: "†", ddagger: "‡", S: "§", P: "¶", circ: "∘", bullet: "•", clubsuit: "♣",
  diamond: "⋄", heartsuit: "♥", spadesuit: "♠", sharp: "♯", flat: "♭", natural: "♮", prime: "′",
  textasteriskcentered: "∗", textdagger: "†", textsection: "§", ldots: "…", dots: "…", textendash: "–",
  textemdash: "—", nobreakspace: " ", space: " ", quad: " ", qquad: " ", enspace: " ", thinspace: " ",
  textbackslash: "\\", textasciitilde: "~", aa: "å", AA: "Å", o: "ø", O: "Ø", ae: "æ", AE: "Æ", ss: "ß",
};

/** `^^xx` (hex) and `^^X` notation TeX uses for characters it does not print as they are. */
export function decodeCaretNotation(s: string): string {
  return s
    .replace(/\^\^([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\^\^([@-_?])/g, (_, c: string) => String.fromCharCode(c.charCodeAt(0) ^ 0x40));
}

/** Undoes `\detokenize`'s doubling of macro parameter characters. */
export function undoubleHashes(s: string): string {
  return s.replace(/##/g, "#");
}

/**
 * Plain text of detokenised TeX as printed: formatting commands dropped with their braces kept as groups,
 * known symbols mapped, math shifts and scripts removed, spaces collapsed.
 */
export function printedText(tex: string): string {
  let s = undoubleHashes(decodeCaretNotation(tex));
  s = s.replace(/\\texorpdfstring ?\{((?:[^{}]|\{[^{}]*\})*)\} ?\{(?:[^{}]|\{[^{}]*\})*\}/g, "$1");
  // commands whose (first) argument is not printed text (whole names: \labelsep is not \label)
  s = s.replace(/\\(?:label|index|hspace|vspace|color|textcolor|footnote|footnotemark|hypertarget|phantomsection|kern|hskip|vskip)(?![A-Za-z@])\*? ?(?:\{(?:[^{}]|\{[^{}]*\})*\}|[-+\d.]+ ?[a-z]{2})?/g, "");
  s = s.replace(/\\([A-Za-z@]+) ?/g, (_, name: string) => SYMBOLS[name] ?? ""); // \textbf, \protect, \relax …
  // escaped characters are text: kept apart (private-use stand-ins) while braces, math shifts and scripts go
  s = s.replace(/\\([&%#_{}$ ,;:!~^])/g, (_, c: string) => (/[,;:! ]/.test(c) ? " " : String.fromCharCode(0xe000 + c.charCodeAt(0))));
  s = s.replace(/[{}$^_]/g, "").replace(/~/g, " ");
  s = s.replace(/[\ue000-\ue07f]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xe000));
  return s.replace(/\s+/g, " ").trim();
}

/** A printed name as a lower-case kind: "Exercise⋆" → "exercise", "Key Idea" → "key idea". */
export function kindOfName(name: string): string {
  return name.normalize("NFC").toLowerCase().replace(/[^\p{L}\p{N}' -]+/gu, " ").replace(/\s+/g, " ").trim();
}
