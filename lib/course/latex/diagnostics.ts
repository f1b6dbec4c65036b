/**
 * Diagnostics of one LaTeX parse, shared by every pass: each with file:line, sorted in reading order at
 * the end. `unknown` collects what the parser could not follow (a user macro that steps a counter, an
 * undefined environment) by name, so each is reported once, with how often it was met and what that costs.
 */
import type { SourceFile } from "../latex-text";
import type { Diagnostic, Severity } from "../types";

interface Unknown {
  file: string;
  line: number;
  /** What it is and what it costs, with `{n}` for the number of uses. */
  message: (uses: number) => string;
  uses: number;
}

export class Diagnostics {
  private readonly list: Diagnostic[] = [];
  private readonly unknowns = new Map<string, Unknown>();

  /** Records a diagnostic at an offset of `file` (or at a line, when `isOffset` is false or `file` is a path). */
  add(severity: Severity, file: SourceFile | string, lineOrOffset: number, message: string, isOffset = true): void {
    const rel = typeof file === "string" ? file : file.rel;
    const line = typeof file === "string" || !isOffset ? lineOrOffset : file.lineOf(lineOrOffset);
    this.list.push({ severity, file: rel, line, message });
  }

  /**
   * Something not understood, reported once under `key` at its first sighting (or its definition, when
   * `at` is given) — every later call only counts a use.
   */
  unknown(key: string, at: { file: string; line: number }, message: (uses: number) => string): void {
    const u = this.unknowns.get(key);
    if (u) u.uses++;
    else this.unknowns.set(key, { ...at, message, uses: 1 });
  }

  /** How often what is reported under `key` was met (0 when nothing was). */
  uses(key: string): number {
    return this.unknowns.get(key)?.uses ?? 0;
  }

  /** Withdraws what was reported under `key` (the TeX run made every use of it an item after all). */
  withdraw(key: string): void {
    this.unknowns.delete(key);
  }

  /** What is reported under keys starting with `prefix` ("box:"), with how often each was met. */
  unknownsOf(prefix: string): { key: string; uses: number }[] {
    return [...this.unknowns].filter(([k]) => k.startsWith(prefix)).map(([key, u]) => ({ key, uses: u.uses }));
  }

  /** Whether anything was reported under `key`. */
  hasUnknown(key: string): boolean {
    return this.unknowns.has(key);
  }

  /** Every diagnostic, in the order of `files` (reading order), then line. */
  sorted(files: string[]): Diagnostic[] {
    for (const u of this.unknowns.values()) this.list.push({ severity: "warning", file: u.file, line: u.line, message: u.message(u.uses) });
    this.unknowns.clear();
    const order = new Map(files.map((p, i) => [p, i]));
    return this.list
      .map((d, i) => ({ d, i }))
      .sort((a, b) => (order.get(a.d.file) ?? 0) - (order.get(b.d.file) ?? 0) || a.d.line - b.d.line || a.i - b.i)
      .map((x) => x.d);
  }
}
