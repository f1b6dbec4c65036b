import type { InsightsConfig } from "./config";
import type { InsightsReport, ListedAnswer } from "./report";

/** The report as `npm run insights` prints it: plain text, one figure a line, lists capped at LIST_MAX. */
const LIST_MAX = 20;
const day = (t: number) => new Date(t).toISOString().slice(0, 10);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function formatReport(r: InsightsReport, config: InsightsConfig | null): string {
  const out: string[] = [];
  const t = r.totals;
  out.push(`Insights for ${r.course.id} (${r.course.title}), ${r.period.since === null ? "every row kept" : `${day(r.period.since)} to ${day(r.period.until)}`}`);
  if (config) out.push(`recording: question texts ${config.keepQuestions ? "kept" : "not kept"}, rows kept ${config.retentionDays} days`);
  out.push("");
  out.push(`${plural(t.questions, "question")}: ${t.llm} answered by the LLM, ${t.noLlm} without; ${t.hint} in hint mode`);
  out.push(`  grounded ${t.grounded}, ungrounded ${t.ungrounded}; not covered: ${t.declined} declined, ${t.doubted} doubted`);
  out.push(`  thumbs up ${t.thumbsUp}, thumbs down ${t.thumbsDown} (${plural(t.comments, "comment")}); ${t.unplaced} not placed in the outline`);
  if (!t.questions) return `${out.join("\n")}\n`;

  out.push("", "Questions per chapter › section › item");
  const line = (indent: number, label: string, title: string, n: number, extra = "") => {
    const head = `${" ".repeat(indent)}${label}${title ? `  ${title}` : ""}`;
    out.push(`${head.length > 58 ? `${head.slice(0, 57)}…` : head.padEnd(58)} ${String(n).padStart(5)}${extra}`);
  };
  const down = (n: number) => (n ? `  (${n} thumbs down)` : "");
  for (const c of r.chapters) {
    if (!c.questions) continue;
    line(2, c.label, c.title, c.questions);
    for (const i of c.items) if (i.questions) line(6, i.label, i.title, i.questions, down(i.thumbsDown));
    for (const s of c.sections) {
      if (!s.questions) continue;
      line(4, s.label, s.title, s.questions);
      for (const i of s.items) if (i.questions) line(6, i.label, i.title, i.questions, down(i.thumbsDown));
    }
  }

  out.push("", "Most asked exercises");
  if (!r.topExercises.length) out.push("  (no question named an exercise)");
  r.topExercises.forEach((e, i) => out.push(`  ${String(i + 1).padStart(2)}. ${e.label}${e.title ? ` (${e.title})` : ""}: ${plural(e.questions, "question")}${down(e.thumbsDown)}`));

  const list = (title: string, answers: ListedAnswer[], describe: (a: ListedAnswer) => string) => {
    out.push("", `${title} (${answers.length})`);
    if (!answers.length) out.push("  (none)");
    for (const a of answers.slice(0, LIST_MAX)) {
      out.push(`  ${day(a.time)}  ${a.reasons.join(", ")}: ${a.question === null ? "(question text not kept)" : JSON.stringify(a.question)}`);
      const more = describe(a);
      if (more) out.push(`      ${more}`);
    }
    if (answers.length > LIST_MAX) out.push(`  … and ${answers.length - LIST_MAX} more (--json lists them all)`);
  };
  list("Not covered by the notes", r.notCovered, (a) =>
    [a.named.length ? `named ${a.named.join(", ")}` : "", a.absent.length ? `labels the notes lack: ${a.absent.join(", ")}` : ""].filter(Boolean).join("; "),
  );
  list("Ungrounded or thumbs down", r.flagged, (a) =>
    [a.cited.length ? `cited ${a.cited.map((c, i) => `${c} (${a.verdicts[i]})`).join(", ")}` : "cited nothing", a.comment ? `comment: ${JSON.stringify(a.comment)}` : ""]
      .filter(Boolean)
      .join("; "),
  );

  out.push("", "Questions per ISO week");
  const top = Math.max(...r.weeks.map((w) => w.questions), 1);
  for (const w of r.weeks) {
    const bar = "█".repeat(Math.round((w.questions / top) * 30));
    out.push(`  ${w.week} (from ${w.start}) ${String(w.questions).padStart(5)} ${bar}${w.notCovered || w.ungrounded || w.thumbsDown ? `  not covered ${w.notCovered}, ungrounded ${w.ungrounded}, thumbs down ${w.thumbsDown}` : ""}`);
  }
  return `${out.join("\n")}\n`;
}

