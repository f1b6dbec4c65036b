import { EXERCISE_IDENTIFIER } from "../syntax";
import { labelName, nameFromIdentifier, printedName } from "./printed-name";
import { kindOfName, printedText } from "./tex-text";
import type { NumberedItem, TraceRecord } from "./types";

type Rec<T extends TraceRecord["type"]> = Extract<TraceRecord, { type: T }>;

/** Sectioning levels, outermost first (their counters number headings, not items). */
const HEADING_RANK: Record<string, number> = { part: -1, chapter: 0, section: 1, subsection: 2, subsubsection: 3, paragraph: 4, subparagraph: 5 };

/** Counters that number pages, notes, lists or hyperref internals — never a citable item. */
const NOT_ITEMS = /^(page|footnote|mpfootnote|Hfootnote|Item|enum(i|ii|iii|iv)|bookmark@seq@number|parentequation|lstnumber|FancyVerbLine|.*@.*)$/;

/** An item label that prints a name and a number: "Exercise 4.13.", "Problem 7:", "Opgave 2.3)". */
const NAMED_LABEL = /^(\p{Lu}[\p{L}'’-]*(?: [\p{L}'’-]+)?)[ ~]+(\d+(?:\.\d+)*[a-z]?)[.:)]?$/u;

/**
 * Headings under which a numbered list is a list of exercises ("Exercises 2.1", "Chapter exercises", "Problems",
 * "Øvelser") — not their solutions or answers.
 */
const EXERCISE_HEADING = /^(?:(?:chapter|review|section|additional|more)\s+)?(?:exercises?|problems?|homework|øvelser|opgaver|aufgaben|exercices)\b(?!.*\b(?:solutions?|answers?|hints?|løsninger)\b)/i;


/** Counters whose printed name is fixed by LaTeX (`\figurename`), wherever the caption sits (a minipage too). */
const COUNTER_NAMES: Record<string, string> = { figure: "Figure", table: "Table", lstlisting: "Listing", algorithm: "Algorithm" };
/** Tables that step the table counter as they begin, whether a caption prints it or not. */
const SELF_STEPPING_TABLES = /^(longtable|supertabular|mpsupertabular|xtabular|mpxtabular)\*?$/;
const EQUATION_ENVS = /^(equation|align|gather|multline|flalign|alignat|eqnarray|xalignat|subequations)\*?$/;

function partLetter(label: string): string | null {
  const m = /^\(?([a-z]{1,2}|[ivxl]{1,5}|\d{1,2})[.)]?\)?$/i.exec(label.trim());
  return m ? m[1] : null;
}

/**
 * What the printed book numbers, from a trace (shapes in types.ts): every numbered environment, box macro and
 * bare counter step with its printed name and number, numbered headings, and exercises printed as list items
 * ("6.") under an exercise heading ("Exercises 2.1" → Exercise 2.1.6). In trace order.
 */
export function numberedItemsFromTrace(records: TraceRecord[]): NumberedItem[] {
  const ends = matchEnds(records);
  const start = records.findIndex((r) => r.type === "document");
  const macros = new Map<string, string>();
  const envdefs = new Map<string, string>();
  for (const r of records) {
    if (r.type === "macro") macros.set(r.name, r.bodyTex);
    if (r.type === "envdef") envdefs.set(r.env, r.meaningTex);
  }

  const items: NumberedItem[] = [];
  const open: Rec<"begin">[] = []; // environments open at the current record
  let exerciseHeading: { title: string; prefix: string } | null = null;
  let lastNumbered = ""; // printed number of the innermost numbered heading
  let listExercise: { item: NumberedItem; depth: number } | null = null; // the list item whose parts we are in
  let macroItem: NumberedItem | null = null; // the last box macro's item (its parts follow its step)
  /** Environments (by begin seq) that produced an item: lists inside them are parts, not exercises. */
  const owners = new Map<number, NumberedItem>();
  /** Steps that number a heading (its counter's next step after the heading record). */
  const headingSteps = new Set<number>();
  /** Headings whose title refers to other items (resolved once all items are known). */
  const titled: [NumberedItem, string][] = [];
  /** Printed numbers of the headings open, by rank (chapter first): the outermost numbers a lettered exercise. */
  const headingNumbers: string[] = [];
  const outermost = () => headingNumbers.find(Boolean) ?? "";

  for (let i = Math.max(0, start); i < records.length; i++) {
    const r = records[i];
    switch (r.type) {
      case "begin":
        open.push(r);
        break;
      case "end": {
        const at = open.findLastIndex((b) => b.env === r.env);
        if (at >= 0) open.length = at;
        break;
      }
      case "heading": {
        listExercise = null;
        macroItem = null;
        const step = headingStep(records, i);
        if (step) headingSteps.add(step.seq);
        if (step) {
          lastNumbered = step.printed;
          const rank = HEADING_RANK[r.level] ?? 9;
          if (rank >= 0) headingNumbers.splice(rank, Infinity, ...Array(Math.max(0, rank - headingNumbers.length)).fill(""), step.printed);
          const heading: NumberedItem = {
            kind: r.level,
            name: nameFromIdentifier(r.level),
            label: `${nameFromIdentifier(r.level)} ${step.printed}`,
            number: step.printed,
            counter: step.counter,
            via: "heading",
            title: r.title,
            file: r.file,
            line: r.line,
            endLine: headingEnd(records, i),
            labels: labelsAfter(records, step.seq, step.printed),
            parts: [],
          };
          items.push(heading);
          if (/\\[A-Za-z]*ref ?\{/.test(r.titleTex)) titled.push([heading, r.titleTex]);
        }
        const numberInTitle = /\d+(?:\.\d+)*/.exec(r.title)?.[0];
        exerciseHeading = EXERCISE_HEADING.test(r.title.trim()) ? { title: r.title, prefix: numberInTitle ?? (step?.printed || lastNumbered) } : null;
        break;
      }
      case "item": {
        // a box macro typesets its arguments after TeX has read them all: its parts are listed at or before its
        // end line, the lists of the prose after it later
        if (macroItem && r.file === macroItem.file && r.line <= macroItem.endLine && r.line >= macroItem.line) {
          const letter = partLetter(r.label);
          if (letter) {
            if (!macroItem.parts.includes(letter)) macroItem.parts.push(letter);
            break;
          }
        }
        // a box macro without arguments leads in what follows it (forall x's `\problempart` "A." then its list): the
        // outermost list's items up to the next heading or numbered item are its parts, not exercises of their own
        if (macroItem && r.depth === 1 && !/#\d/.test(macros.get(macroItem.macro ?? "") ?? "#1")) {
          const letter = partLetter(r.label);
          if (letter) {
            if (!macroItem.parts.includes(letter)) macroItem.parts.push(letter);
            break;
          }
        }
        const owner = [...open].reverse().find((b) => owners.has(b.seq));
        if (owner) {
          const letter = partLetter(r.label);
          const it = owners.get(owner.seq)!;
          if (letter && !it.parts.includes(letter)) it.parts.push(letter);
          break;
        }
        if (listExercise && r.depth > listExercise.depth) {
          const letter = partLetter(r.label);
          if (letter && !listExercise.item.parts.includes(letter)) listExercise.item.parts.push(letter);
          break;
        }
        listExercise = null;
        // an item that prints its own name and number ("Exercise 4.13.": enumerate with label=Exercise~\thechapter.\arabic*)
        const named = r.auto ? NAMED_LABEL.exec(r.label.trim()) : null; // not a hand-written \item[Step 2:]
        // or one printed "6." under an exercise heading ("Exercises 2.1" → Exercise 2.1.6)
        const n = /^\(?(\d+)[.)]?\)?$/.exec(r.label.trim())?.[1];
        const underHeading = exerciseHeading !== null && r.depth === 1 && n !== undefined && exerciseHeading.prefix !== "";
        if (!named && !underHeading) break;
        const name = named ? named[1] : "Exercise";
        const number = named ? named[2] : `${exerciseHeading!.prefix}.${n}`;
        const { lastSeq, ...where } = itemExtent(records, i);
        const item: NumberedItem = {
          kind: kindOfName(name),
          name,
          label: `${labelName(name)} ${number}`,
          number,
          counter: r.counter,
          via: "list-item",
          env: r.env,
          ...(named ? {} : { heading: exerciseHeading!.title }),
          ...where,
          labels: labelsWithin(records, i, lastSeq, [number, n ?? "", r.label].filter(Boolean)),
          parts: [],
        };
        listExercise = { item, depth: r.depth };
        items.push(item);
        break;
      }
      case "step": {
        if (NOT_ITEMS.test(r.counter) || headingSteps.has(r.seq)) break;
        const inEnv = r.env !== "" && r.env !== "document";
        if (r.via === "stepcounter" && !r.macro && !inEnv) break;
        if (r.via === "stepcounter" && takenBack(records, i)) break;
        // a number TeX could not print yet ("??": thm-restate's \thm* restating a theorem from its label) is a
        // repeat of an item, not a new one
        if (/\?\?/.test(r.printed)) break;
        const { item, printsName } = stepItem(records, i, r, { open, ends, macros, envdefs, underExercises: exerciseHeading !== null });
        // a bare \stepcounter that prints no name and that no \label refers to numbers something other than an item:
        // asymptote's figure files (\jobname-\theasy.asy), tcolorbox's parts of a broken box
        if (r.via === "stepcounter" && !printsName && !item.labels.length) break;
        if (item.via === "macro" && anchorOnly(macros.get(r.macro) ?? "")) break;
        // a sectioning counter numbers an item only when an environment or a box macro steps it: theorems sharing
        // it (the Stacks Project's \newtheorem{lemma}[subsection]{Lemma}), not a heading's own or a stray step
        if (r.counter in HEADING_RANK && item.via !== "environment" && item.via !== "macro") break;
        // a table is numbered where its caption prints the number: longtable steps the table counter as it begins,
        // caption or not (an exercise list laid out as a longtable prints no "Table 2.1"), and owns no list
        if (r.counter === "table" && item.via === "environment" && SELF_STEPPING_TABLES.test(r.env)) break;
        // a letter alone ("A" of \Alph) is not a label a reader can use: the book's cross-references put the chapter
        // before it ("exercise 11A"), as the walk does (blocks.ts boxItem)
        if (!printsName && item.kind === "exercise" && !/\d/.test(item.number) && outermost()) {
          item.number = outermost() + item.number;
          item.label = `${labelName(item.name)} ${item.number}`;
        }
        items.push(item);
        macroItem = item.via === "macro" ? item : null;
        if (item.via === "environment") {
          const b = open.findLast((o) => o.env === r.env);
          if (b) owners.set(b.seq, item);
        }
        break;
      }
    }
  }
  resolveTitleRefs(items, titled);
  return items;
}

/**
 * A heading title that refers to another item (`\nameref{ch:data}`, `\ref{sec:x}`) prints that item's title or
 * number: resolved from the trace's own labels.
 */
function resolveTitleRefs(items: NumberedItem[], titled: [NumberedItem, string][]): void {
  const byKey = new Map<string, NumberedItem>();
  for (const item of items) for (const key of item.labels) if (!byKey.has(key)) byKey.set(key, item);
  for (const [item, tex] of titled) {
    const resolved = tex
      .replace(/\\(?:nameref|Nameref|titleref) ?\{([^{}]*)\}/g, (all, key: string) => byKey.get(key)?.title ?? all)
      .replace(/\\(?:ref|autoref|cref|Cref) ?\{([^{}]*)\}/g, (all, key: string) => byKey.get(key)?.number ?? all);
    item.title = printedText(resolved);
  }
}

/**
 * Whether a box macro's body only steps its counter and sets a label — prints nothing: HoTT's
 * `\newcommand{\symlabel}[1]{\refstepcounter{symindex}\label{#1}}`, an anchor for `\pageref` in an index of symbols.
 */
function anchorOnly(bodyTex: string): boolean {
  const rest = bodyTex
    .replace(/\\(?:ref)?stepcounter ?\{[^{}]*\}|\\label ?\{[^{}]*\}|\\phantomsection(?![A-Za-z@])|\\(?:relax|ignorespaces|leavevmode)(?![A-Za-z@])/g, "")
    .replace(/#+\d|[\s%]/g, "");
  return bodyTex !== "" && rest === "";
}

/**
 * Whether the bare `\stepcounter` at `i` was taken back: the next step of its counter prints the same number (the
 * kernel's eqnarray steps the equation counter ahead of each row and undoes the step after the last one).
 */
function takenBack(records: TraceRecord[], i: number): boolean {
  const r = records[i] as Rec<"step">;
  const next = records.slice(i + 1).find((x): x is Rec<"step"> => x.type === "step" && x.counter === r.counter);
  return next?.printed === r.printed;
}

/** For each `begin`, its matching `end` (same name, innermost first). */
function matchEnds(records: TraceRecord[]): Map<number, Rec<"end">> {
  const ends = new Map<number, Rec<"end">>();
  const stack: Rec<"begin">[] = [];
  for (const r of records) {
    if (r.type === "begin") stack.push(r);
    else if (r.type === "end") {
      const at = stack.findLastIndex((b) => b.env === r.env);
      if (at < 0) continue;
      ends.set(stack[at].seq, r);
      stack.length = at;
    }
  }
  return ends;
}

/** The step that numbers heading `i`: the next step of its own counter, before anything else happens. */
function headingStep(records: TraceRecord[], i: number): Rec<"step"> | null {
  const h = records[i] as Rec<"heading">;
  if (h.starred) return null;
  for (let j = i + 1; j < Math.min(records.length, i + 6); j++) {
    const r = records[j];
    if (r.type === "step" && r.counter === h.level) return r;
    if (r.type === "heading" || r.type === "begin" || r.type === "item") return null;
  }
  return null;
}

/** The last traced line of a heading's file before the next heading of its level or above. */
function headingEnd(records: TraceRecord[], i: number): number {
  const h = records[i] as Rec<"heading">;
  const rank = HEADING_RANK[h.level] ?? 9;
  let end = h.line;
  for (let j = i + 1; j < records.length; j++) {
    const r = records[j];
    if (r.type === "heading" && (HEADING_RANK[r.level] ?? 9) <= rank) {
      if (r.file === h.file) end = Math.max(end, r.line - 1);
      break;
    }
    if (r.file === h.file && r.line > end) end = r.line;
  }
  return end;
}

/** A step that sets what `\label` prints: not a page, footnote or hyperref bookmark counter. */
function labelStep(r: TraceRecord): boolean {
  return r.type === "step" && !NOT_ITEMS.test(r.counter);
}

/** Keys of the `\label`s right after `seq` (before the next step, heading, environment or item) printing `number`. */
function labelsAfter(records: TraceRecord[], seq: number, number: string): string[] {
  const keys: string[] = [];
  for (let j = seq + 1; j < records.length; j++) {
    const r = records[j];
    if (r.type === "label") {
      if (r.printed === number) keys.push(r.key);
    } else if (labelStep(r) || r.type === "heading" || r.type === "begin" || r.type === "item") break;
  }
  return keys;
}

/**
 * Keys of the `\label`s in records (from, to] that print one of `printed`, up to the next step: a label after an
 * equation inside a theorem is the equation's, though both print "1.1.1".
 */
function labelsWithin(records: TraceRecord[], from: number, to: number, printed: string[]): string[] {
  const keys: string[] = [];
  for (let j = from + 1; j <= to && j < records.length; j++) {
    const r = records[j];
    if (labelStep(r)) break;
    if (r.type === "label" && printed.includes(r.printed) && !keys.includes(r.key)) keys.push(r.key);
  }
  return keys;
}

/**
 * Where list item `i` begins and ends: the `\item`, or line 1 of a course file it inputs right away (a `\read`
 * loop of exercise files); it ends before the next item of its depth, the next heading or the end of its list.
 */
function itemExtent(records: TraceRecord[], i: number): { file: string; line: number; endLine: number; lastSeq: number; from?: { file: string; line: number } } {
  const item = records[i] as Rec<"item">;
  const next = records[i + 1];
  const viaFile = next?.type === "file-begin" && next.inCourse;
  const file = viaFile ? next.file : item.file;
  const line = viaFile ? 1 : item.line;
  let endLine = line;
  let lastSeq = i;
  let nested = 0; // lists of the same environment opened inside this item
  for (let j = i + 1; j < records.length; j++) {
    const r = records[j];
    if ((r.type === "item" && r.depth <= item.depth) || r.type === "heading") {
      if (!viaFile && r.file === file) endLine = Math.max(endLine, r.line - 1);
      break;
    }
    if (r.type === "begin" && r.env === item.env) nested++;
    if (r.type === "end" && r.env === item.env && nested-- === 0) {
      if (r.file === file) endLine = Math.max(endLine, r.line - 1);
      break;
    }
    lastSeq = j;
    if (r.file === file && r.line > endLine) endLine = r.line;
  }
  return { file, line, endLine, lastSeq, ...(viaFile ? { from: { file: item.file, line: item.line } } : {}) };
}

/** Whether nothing was numbered or listed between `begin` and record `i` (a theorem steps its counter at once). */
function stepsAtBegin(records: TraceRecord[], begin: Rec<"begin">, i: number): boolean {
  for (let j = begin.seq + 1; j < i; j++) {
    const r = records[j];
    // an internal counter's step is not another number (thmtools steps thmt@dummyctr before the theorem's own)
    if ((r.type === "step" && !NOT_ITEMS.test(r.counter)) || r.type === "item" || r.type === "heading") return false;
  }
  return true;
}

function stepItem(
  records: TraceRecord[],
  i: number,
  step: Rec<"step">,
  context: {
    open: Rec<"begin">[];
    ends: Map<number, Rec<"end">>;
    macros: Map<string, string>;
    envdefs: Map<string, string>;
    underExercises: boolean;
  },
): { item: NumberedItem; printsName: boolean } {
  const { open, ends, macros, envdefs } = context;
  const inEnv = step.env !== "" && step.env !== "document";
  // the environment numbers it when the step comes with its \begin (not a counter stepped later inside it)
  const opened = inEnv ? open.findLast((b) => b.env === step.env) : undefined;
  const begin = opened && stepsAtBegin(records, opened, i) ? opened : undefined;
  // \newenvironment defines its begin macro through \newcommand: a step in it is the environment's, not a box macro's
  const call = step.macro && !(opened && step.macro === step.env) ? records.slice(0, i).findLast((r): r is Rec<"call"> => r.type === "call" && r.name === step.macro) : undefined;

  // the printed name: the theorem head, else the words before the number in the box's own definition
  let name: string | null = null;
  for (let j = i + 1; j < Math.min(records.length, i + 8); j++) {
    const r = records[j];
    if (r.type === "theorem" && r.env === step.env) {
      name = r.name;
      break;
    }
    if (r.type === "step" || r.type === "heading") break;
  }
  if (!name && call) name = printedName(macros.get(step.macro) ?? "", step.counter, macros);
  if (!name && inEnv && EQUATION_ENVS.test(step.env)) name = "Equation";
  // a \newenvironment box's begin code is recorded as a macro of its name (envdef then shows the tutor's wrapper)
  if (!name && begin) name = printedName(macros.get(step.env) ?? envdefs.get(step.env) ?? "", step.counter, macros);
  if (!name) name = COUNTER_NAMES[step.counter] ?? (step.counter === "equation" && !call && !begin ? "Equation" : null);
  // a box that prints no name (just "6.") is an exercise under an exercise heading, or when its own identifier
  // says so (OpenIntro's end-of-chapter \eoce prints "3.14" under a typeset, not sectioned, "Exercises")
  const identifier = call ? step.macro : begin ? step.env : step.counter;
  if (!name && (context.underExercises || EXERCISE_IDENTIFIER.test(identifier))) name = "Exercise";
  // no printed name found: the counter's or environment's identifier stands in ("keyideacounter" → "Key idea")
  const printsName = name !== null;
  if (!name) name = nameFromIdentifier(identifier);

  let file = step.file;
  let line = step.line;
  let endLine = step.line;
  let via: NumberedItem["via"] = "step";
  let lastSeq = i;
  if (call) {
    via = "macro";
    file = call.file;
    line = call.line;
    endLine = call.file === step.file ? Math.max(step.line, call.line) : call.line;
  } else if (begin) {
    via = "environment";
    file = begin.file;
    line = begin.line;
    const end = ends.get(begin.seq);
    endLine = end && end.file === begin.file ? end.line : Math.max(step.line, begin.line);
    lastSeq = Math.max(end?.seq ?? i, i);
    // amsmath writes a display's \label when the row ends, i.e. inside \end{equation}: just after the end record
    while (records[lastSeq + 1]?.type === "label") lastSeq++;
  }
  const printed = [step.printed, step.currentLabel].filter(Boolean);
  const labels = via === "environment" ? labelsWithin(records, i, lastSeq, printed) : labelsAfter(records, i, step.printed).concat(
    labelsAfter(records, i, step.currentLabel).filter((k) => step.currentLabel !== step.printed && k),
  );
  const kind = kindOfName(name) || kindOfName(nameFromIdentifier(step.counter));
  const item: NumberedItem = {
    kind,
    name,
    label: `${labelName(name)} ${step.printed}`,
    number: step.printed,
    counter: step.counter,
    via,
    ...(begin ? { env: step.env } : {}),
    ...(call ? { macro: step.macro } : {}),
    file,
    line,
    endLine,
    labels: [...new Set(labels)],
    parts: [],
  };
  return { item, printsName };
}
