/**
 * LaTeX counters as the kernel keeps them: a value, the counters whose stepping resets it
 * (`\newcounter{x}[chapter]`, `\counterwithin`, `\newtheorem{thm}{Theorem}[section]`) and a
 * `\thex` template that may refer to other counters (`\thechapter.\arabic{thm}`). Printed numbers
 * are produced by evaluating those templates at the moment a counter is stepped, exactly as
 * `\refstepcounter` records `\@currentlabel`.
 */

export type NumStyle = "arabic" | "alph" | "Alph" | "roman" | "Roman" | "fnsymbol";

/** One piece of a `\thex` template. */
export type TemplatePart =
  | { t: "lit"; s: string }
  | { t: "the"; c: string }
  | { t: "fmt"; c: string; style: NumStyle }
  /** `\ifnum\c@chapter>0 \thechapter.\fi` as book.cls writes `\theequation`. */
  | { t: "cond"; c: string; s: string }
  /** `\if@mainmatter\thechapter.\fi` as KOMA-Script's scrbook writes `\thesection`: the prefix only in the main matter. */
  | { t: "main"; c: string; s: string };

interface Counter {
  value: number;
  /** Counters whose stepping resets this one. */
  within: Set<string>;
  template: TemplatePart[];
}

const STYLES = new Set<string>(["arabic", "alph", "Alph", "roman", "Roman", "fnsymbol"]);

/** Formats a counter value the way `\arabic`, `\alph`, `\Roman` … print it. */
export function formatNumber(value: number, style: NumStyle): string {
  switch (style) {
    case "arabic":
      return String(value);
    case "alph":
    case "Alph": {
      // LaTeX's \alph only covers 1..26; outside that range it errors, we fall back to digits.
      if (value < 1 || value > 26) return String(value);
      const ch = String.fromCharCode(96 + value);
      return style === "Alph" ? ch.toUpperCase() : ch;
    }
    case "roman":
    case "Roman": {
      if (value <= 0 || value >= 5000) return value <= 0 ? "" : String(value);
      const table: [number, string][] = [
        [1000, "m"], [900, "cm"], [500, "d"], [400, "cd"], [100, "c"], [90, "xc"],
        [50, "l"], [40, "xl"], [10, "x"], [9, "ix"], [5, "v"], [4, "iv"], [1, "i"],
      ];
      let v = value;
      let s = "";
      for (const [n, r] of table) {
        while (v >= n) {
          s += r;
          v -= n;
        }
      }
      return style === "Roman" ? s.toUpperCase() : s;
    }
    case "fnsymbol": {
      const syms = ["*", "†", "‡", "§", "¶", "‖", "**", "††", "‡‡"];
      return syms[value - 1] ?? String(value);
    }
  }
}

/**
 * Parses a `\renewcommand{\thex}{…}` body into a template: `\thechapter`, `\arabic{x}`,
 * `\Alph{x}`, `\@arabic\c@x` and literal characters; font and box macros are dropped, braces ignored.
 */
export function parseTemplate(code: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  const re = /\\the([A-Za-z@]+)|\\(arabic|alph|Alph|roman|Roman|fnsymbol)\s*\{\s*([^{}\s]+)\s*\}|\\@(arabic|alph|Alph|roman|Roman|fnsymbol)\s*\\c@([A-Za-z@]+)|\\[A-Za-z@]+\s*|\\.|[{}]|~|[^\\{}~]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(code))) {
    if (m[1]) parts.push({ t: "the", c: m[1] });
    else if (m[2]) parts.push({ t: "fmt", c: m[3], style: m[2] as NumStyle });
    else if (m[4]) parts.push({ t: "fmt", c: m[5], style: m[4] as NumStyle });
    else if (m[0] === "~" || m[0] === "\\ ") parts.push({ t: "lit", s: " " });
    else if (m[0].startsWith("\\") || m[0] === "{" || m[0] === "}") continue;
    else parts.push({ t: "lit", s: m[0] });
  }
  return parts;
}

/** The counter set of one document. */
export class Counters {
  private readonly map = new Map<string, Counter>();
  /** `\@mainmatter`: false after `\frontmatter` and `\backmatter` (read by "main" template parts). */
  mainmatter = true;

  has(name: string): boolean {
    return this.map.has(name);
  }

  /** `\newcounter{name}[within]`: value 0, printed `\arabic{name}` (LaTeX does not prefix the parent). */
  define(name: string, within?: string): void {
    const c: Counter = { value: 0, within: new Set(), template: [{ t: "fmt", c: name, style: "arabic" }] };
    if (within) c.within.add(within);
    this.map.set(name, c);
  }

  /** `\let\c@name\c@target`: both names are one counter from now on (its value, resets and template). */
  alias(name: string, target: string): boolean {
    const c = this.map.get(target);
    if (!c) return false;
    this.map.set(name, c);
    return true;
  }

  value(name: string): number {
    return this.map.get(name)?.value ?? 0;
  }

  set(name: string, value: number): boolean {
    const c = this.map.get(name);
    if (!c) return false;
    c.value = value;
    return true;
  }

  add(name: string, delta: number): boolean {
    const c = this.map.get(name);
    if (!c) return false;
    c.value += delta;
    return true;
  }

  /** `\stepcounter`: +1, then every counter reset by this one is reset (recursively, as `\@stpelt` does). */
  step(name: string): boolean {
    const c = this.map.get(name);
    if (!c) return false;
    c.value += 1;
    this.resetChildren(name, 0);
    return true;
  }

  private resetChildren(name: string, depth: number): void {
    if (depth > 20) return;
    for (const [child, c] of this.map) {
      if (child !== name && c.within.has(name)) {
        c.value = 0;
        this.resetChildren(child, depth + 1);
      }
    }
  }

  /** `\counterwithin{name}{parent}`: reset by parent and printed `\theparent.\arabic{name}`. */
  within(name: string, parent: string, changeTemplate: boolean): boolean {
    const c = this.map.get(name);
    if (!c || !this.map.has(parent)) return false;
    c.within.add(parent);
    if (changeTemplate) c.template = [{ t: "the", c: parent }, { t: "lit", s: "." }, { t: "fmt", c: name, style: "arabic" }];
    return true;
  }

  /** `\counterwithout{name}{parent}`. */
  without(name: string, parent: string, changeTemplate: boolean): boolean {
    const c = this.map.get(name);
    if (!c) return false;
    c.within.delete(parent);
    if (changeTemplate) c.template = [{ t: "fmt", c: name, style: "arabic" }];
    return true;
  }

  setTemplate(name: string, template: TemplatePart[]): boolean {
    const c = this.map.get(name);
    if (!c) return false;
    c.template = template;
    return true;
  }

  /** Sets the numbering style of a counter's own value, keeping any prefix (`\appendix` → `\Alph{chapter}`). */
  setStyle(name: string, style: NumStyle): void {
    const c = this.map.get(name);
    if (!c) return;
    c.template = c.template.map((p) => (p.t === "fmt" && p.c === name ? { ...p, style } : p));
  }

  /** `\thename`: evaluates the template. */
  the(name: string, depth = 0): string {
    const c = this.map.get(name);
    if (!c || depth > 10) return "";
    return this.evaluate(c.template, depth);
  }

  /** What a template prints with the counters' present values (`\thechapter.\arabic{equation}` → "0.1"). */
  evaluate(template: TemplatePart[], depth = 0): string {
    let s = "";
    for (const p of template) {
      if (p.t === "lit") s += p.s;
      else if (p.t === "the") s += this.the(p.c, depth + 1);
      else if (p.t === "cond") s += this.value(p.c) > 0 ? this.the(p.c, depth + 1) + p.s : "";
      else if (p.t === "main") s += this.mainmatter ? this.the(p.c, depth + 1) + p.s : "";
      else s += formatNumber(this.value(p.c), p.style);
    }
    return s;
  }
}

/** Whether `s` names a numbering style macro (`arabic`, `Alph` …). */
export function isStyle(s: string): s is NumStyle {
  return STYLES.has(s);
}

/**
 * Evaluates an integer expression as it appears in `\setcounter` or enumitem's `start=`:
 * digits, `+ - * ( )`, `\value{x}`, `\arabic{x}`, `\c@x`, with `\numexpr … \relax` wrappers.
 * Returns undefined when it is anything else.
 */
export function evalIntExpr(expr: string, counters: Counters): number | undefined {
  const s = expr
    .replace(/\\numexpr|\\relax/g, " ")
    .replace(/\\(?:value|arabic)\s*\{\s*([^{}\s]+)\s*\}/g, (_m, c: string) => ` ${counters.value(c)} `)
    .replace(/\\c@([A-Za-z@]+)/g, (_m, c: string) => ` ${counters.value(c)} `)
    .replace(/[{}]/g, " ")
    .trim();
  if (!/^[\d+\-*()\s]+$/.test(s) || s === "") return undefined;
  let pos = 0;
  const peek = (): string => {
    while (s[pos] === " ") pos++;
    return s[pos] ?? "";
  };
  const factor = (): number | undefined => {
    const c = peek();
    if (c === "-") {
      pos++;
      const v = factor();
      return v === undefined ? undefined : -v;
    }
    if (c === "+") {
      pos++;
      return factor();
    }
    if (c === "(") {
      pos++;
      const v = sum();
      if (peek() !== ")") return undefined;
      pos++;
      return v;
    }
    const m = /^\d+/.exec(s.slice(pos));
    if (!m) return undefined;
    pos += m[0].length;
    return Number(m[0]);
  };
  const product = (): number | undefined => {
    let v = factor();
    while (v !== undefined && peek() === "*") {
      pos++;
      const r = factor();
      v = r === undefined ? undefined : v * r;
    }
    return v;
  };
  function sum(): number | undefined {
    let v = product();
    while (v !== undefined && (peek() === "+" || peek() === "-")) {
      const op = s[pos++];
      const r = product();
      v = r === undefined ? undefined : op === "+" ? v + r : v - r;
    }
    return v;
  }
  const v = sum();
  return v !== undefined && peek() === "" && Number.isSafeInteger(v) ? v : undefined;
}

/**
 * Renders an enumitem `label=`/`ref=` value (or a `\thex`-like snippet) to the text it prints:
 * `\arabic*` etc. use `star`, `\thechapter` / `\arabic{x}` read `counters`, font macros vanish.
 */
export function renderLabel(code: string, counters: Counters, star?: string): string {
  // \the… first: its name ends at the next backslash, before "\alph*" has been replaced by letters.
  let s = code.replace(/\\the([A-Za-z@]+)/g, (m, c: string) => (counters.has(c) ? counters.the(c) : m));
  s = s.replace(/\\(arabic|alph|Alph|roman|Roman|fnsymbol)\s*\*/g, (_m, style: string) =>
    star === undefined ? "" : formatNumber(counters.value(star), style as NumStyle),
  );
  s = s.replace(/\\(arabic|alph|Alph|roman|Roman|fnsymbol)\s*\{\s*([^{}\s]+)\s*\}/g, (_m, style: string, c: string) =>
    formatNumber(counters.value(c), style as NumStyle),
  );
  // Link macros print only their text: \hyperlink{a-0.2.1}{1} → 1, \hyperref[key]{text}, \href{url}{text}.
  s = s.replace(/\\(?:hyperlink|href)\s*\{[^{}]*\}/g, "").replace(/\\hyperref\s*\[[^\]]*\]/g, "").replace(/\\hypertarget\s*\{[^{}]*\}\s*\{[^{}]*\}/g, "");
  s = s
    .replace(/~|\\ /g, " ")
    .replace(/\\[A-Za-z@]+\*?\s*/g, "")
    .replace(/[{}]/g, "");
  return s.replace(/\s+/g, " ").trim();
}

/**
 * Converts the `enumerate` package's short label syntax (`[(a)]`, `[i.]`, `[A)]`) into enumitem form.
 * Returns undefined when `opt` is not a short label.
 */
export function shortLabel(opt: string): string | undefined {
  if (opt.includes("=") || opt.trim() === "") return undefined;
  const m = /(^|[^A-Za-z\\])([aAiI1])(?![A-Za-z])/.exec(opt);
  if (!m) return undefined;
  const style = { a: "\\alph*", A: "\\Alph*", i: "\\roman*", I: "\\Roman*", "1": "\\arabic*" }[m[2]]!;
  const at = m.index + m[1].length;
  return opt.slice(0, at) + style + opt.slice(at + 1);
}
