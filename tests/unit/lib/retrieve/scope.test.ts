import { describe, expect, it } from "vitest";
import { assessScope, buildTermStats, correctTypos } from "@/lib/retrieve/scope";
import { topicTerms, withoutMarkup } from "@/lib/retrieve/terms";
import { expandDanish, translateDanish } from "@/lib/retrieve/glossary";

const passages = [
  "A function f is convex if f(tx + (1-t)y) <= t f(x) + (1-t) f(y) for all x, y and t in [0,1].",
  "The Hessian matrix of F at v is the matrix of second partial derivatives; it is symmetric. Its condition number matters.",
  "Newton's method iterates x_{k+1} = x_k - f'(x_k)/f''(x_k) and converges quadratically near a minimum.",
  "Two sets A and B are equal if they contain the same elements. De Morgan's laws relate unions and complements.",
  "The condition number of a positive definite matrix is the ratio of its largest to its smallest eigenvalue; the world of values is open.",
  "A map is injective (one-to-one) if different inputs have different values, and a bijection if it is also onto.",
];
const stats = buildTermStats(passages, ["Convex functions", "Sets", "The Hessian matrix", "Mean Value Theorem"]);

describe("scope", () => {
  it("drops question words and stems topic words", () => {
    expect(topicTerms("Why is the Hessian symmetric? Please explain, I'm stuck")).toEqual(["hessian", "symmetr"]);
  });

  it("keeps questions whose specific words the notes use", () => {
    const v = assessScope({ question: "why is the hessian symmetric", stats, topPassages: passages.slice(1, 2), anchored: false });
    expect(v).toMatchObject({ outOfScope: false, coverage: 1, unknownTerms: [] });
  });

  it("only doubts, never declines, a question whose words the notes all use but not together", () => {
    // Every topic word is in the notes (Hessian, Newton, condition number, sets), none in one passage with the others.
    const v = assessScope({ question: "hessian newton condition sets", stats, topPassages: passages.slice(0, 1), anchored: false });
    expect(v).toMatchObject({ verdict: "unsure", outOfScope: false, reason: "low-coverage", unknownTerms: [] });
    const sure = assessScope({ question: "fourier coefficients of the hessian", stats, topPassages: passages.slice(0, 1), anchored: false });
    expect(sure).toMatchObject({ verdict: "out", outOfScope: true });
  });

  it("flags questions that hinge on words the notes never use", () => {
    const v = assessScope({ question: "how do I bake sourdough bread", stats, topPassages: passages, anchored: false });
    expect(v.outOfScope).toBe(true);
    // "bake" and "bread" are everyday English: only "sourdough" is a specific word the notes lack.
    expect(v.unknownTerms).toEqual(["sourdough"]);
    expect(assessScope({ question: "what is a Fourier transform of a function", stats, topPassages: passages, anchored: false }).outOfScope).toBe(true);
  });

  it("flags questions made only of everyday words, unless they use a phrase of the notes or mathematics", () => {
    // Every word is in the notes ("world", "open"), but all are everyday English and name nothing in it.
    const worldCup = assessScope({ question: "who won the world cup, was it open", stats, topPassages: passages, anchored: false });
    expect(worldCup).toMatchObject({ outOfScope: true, reason: "everyday-words-only" });
    // The same everyday words, but as the notes' own phrase: a course term.
    expect(assessScope({ question: "condition number?", stats, topPassages: passages, anchored: false })).toMatchObject({ outOfScope: false });
    // Two everyday words the notes put side by side once ("Tip: first …") are no phrase of theirs; twice, they are.
    const once = buildTermStats(["Tip: first, check that the hessian is symmetric.", "The hessian matrix."]);
    expect(assessScope({ question: "tips for my first job", stats: once, topPassages: [], anchored: false })).toMatchObject({ outOfScope: true, reason: "everyday-words-only" });
    const twice = buildTermStats(["Tip: first, check that the hessian is symmetric.", "Tip: first, invert the matrix."]);
    expect(assessScope({ question: "tips for my first job", stats: twice, topPassages: [], anchored: false }).reason).not.toBe("everyday-words-only");
    // Everyday words about a formula: mathematics is the course's business.
    expect(assessScope({ question: "is the world value x = 1 open", stats, topPassages: passages, anchored: false }).outOfScope).toBe(false);
  });

  it("only doubts mathematics it cannot judge by words: no word of the notes, but a formula or set braces", () => {
    // Every word is a stop word or unknown-but-everyday; the letters and braces are mathematics.
    expect(assessScope({ question: "why is 'if P then Q' true when P is false", stats, topPassages: passages, anchored: false })).toMatchObject({ verdict: "unsure", outOfScope: false, reason: "no-course-terms" });
    expect(assessScope({ question: "is {} the same thing as {{}}", stats, topPassages: passages, anchored: false }).outOfScope).toBe(false);
    // Without mathematics, no word of the notes is still sure; with a specific unknown word too.
    expect(assessScope({ question: "why is it true when it is false", stats, topPassages: passages, anchored: false })).toMatchObject({ verdict: "out", outOfScope: true });
    expect(assessScope({ question: "sourdough starter if P then Q", stats, topPassages: passages, anchored: false })).toMatchObject({ verdict: "out" });
  });

  it("doubts a question with a word the notes never use whose best passage holds only just over half of it", () => {
    const top = passages.slice(1, 2);
    const just = assessScope({ question: "hessian symmetric matrix partial derivatives sourdough", stats, topPassages: top, anchored: false });
    expect(just.coverage).toBeGreaterThanOrEqual(0.5);
    expect(just.coverage).toBeLessThan(0.6);
    expect(just).toMatchObject({ verdict: "unsure", outOfScope: false, unknownTerms: ["sourdough"] });
    expect(assessScope({ question: "hessian symmetric matrix partial derivatives", stats, topPassages: top, anchored: false }).verdict).toBe("in");
    // Notation words are mathematics: "iff" alone is a doubt, not a refusal.
    expect(assessScope({ question: "what does iff mean", stats, topPassages: passages, anchored: false }).verdict).toBe("unsure");
  });

  it("counts the words the notes' headings and items are named by as course terms, though everyday English", () => {
    // "sets" is everyday English, but a heading of the notes: "what is a set" is a course question.
    expect(assessScope({ question: "what is a set", stats, topPassages: passages, anchored: false }).outOfScope).toBe(false);
    // "elements" is in the notes and everyday English, but names nothing: the question has no course term.
    expect(assessScope({ question: "what are elements", stats, topPassages: passages, anchored: false })).toMatchObject({ outOfScope: true, reason: "everyday-words-only" });
  });

  it("reads a letter-hyphen compound the notes never use as its own term, and capitals as an acronym", () => {
    // "value" is a course term (Mean Value Theorem), a "p-value" is not.
    expect(assessScope({ question: "what is a value", stats, topPassages: passages, anchored: false }).outOfScope).toBe(false);
    const p = assessScope({ question: "what is a p-value", stats, topPassages: passages, anchored: false });
    expect(p).toMatchObject({ outOfScope: true, unknownTerms: ["p-value"] });
    // A short unknown word weighs little ("thx"), unless typed as an acronym.
    const lower = assessScope({ question: "kkt for a convex function", stats, topPassages: passages, anchored: false });
    const upper = assessScope({ question: "KKT for a convex function", stats, topPassages: passages, anchored: false });
    expect(upper.coverage).toBeLessThan(lower.coverage);
    expect(upper.unknownTerms).toEqual(["kkt"]);
  });

  it("weighs unknown words of a Danish sentence as everyday words, not as the topic", () => {
    // "forskellen" (the difference) is unknown to the English lists; in a Danish question it is not the topic.
    const da = assessScope({ question: "hvad er forskellen på en konveks og en symmetric hessian matrix", stats, topPassages: passages, anchored: false });
    expect(da).toMatchObject({ outOfScope: false, unknownTerms: [] });
    // The same unknown word in an English question weighs like "sourdough".
    const en = assessScope({ question: "the forskellen of a symmetric hessian matrix", stats, topPassages: passages, anchored: false });
    expect(en.unknownTerms).toEqual(["forskellen"]);
    expect(en.coverage).toBeLessThan(da.coverage);
  });

  it("never flags a question anchored to an item of the course", () => {
    expect(assessScope({ question: "sourdough", stats, topPassages: [], anchored: true }).outOfScope).toBe(false);
  });

  it("expands Danish course terms to English for full-text search", () => {
    expect(expandDanish("hvad er en konveks funktion")).toBe("hvad er en konveks funktion (convex function)");
    expect(expandDanish("what is a convex function")).toBe("what is a convex function");
  });

  it("reads Danish inflections and compounds of course terms, but never splits an English word", () => {
    expect(translateDanish("middelværdisætningen")).toBe("mean value theorem");
    expect(translateDanish("konvergensorden")).toBe("convergence order");
    expect(translateDanish("induktionsantagelsen")).toBe("induction hypothesis"); // linking s
    expect(translateDanish("kædereglen")).toBe("chain rule"); // regel → reglen drops the e
    expect(translateDanish("funktionens")).toBe("function");
    expect(translateDanish("mængderne")).toBe("sets");
    for (const english of ["former", "formation", "pointer", "definitions", "lemmas"]) expect(translateDanish(english)).toBeUndefined();
    expect(expandDanish("hvad siger middelværdisætningen")).toBe("hvad siger middelværdisætningen (mean value theorem)");
  });

  it("corrects typos to the notes' words, but not English words or Danish course words", () => {
    expect(correctTypos("what is a bijektion", stats).corrections).toEqual({ bijektion: "bijection" });
    // "bisection" is an English word (another method), "partielle" Danish for partial: neither is a typo.
    expect(correctTypos("how does bisection work", stats).corrections).toEqual({});
    expect(correctTypos("partielle afledede", stats).corrections).toEqual({});
  });

  it("counts two swapped letters as one slip, ahead of a changed letter, and joins a word split in two", () => {
    expect(correctTypos("why is the hessain symmetric", stats).corrections).toEqual({ hessain: "hessian" });
    const notes = buildTermStats(["A truth table lists the values; each row has a label.", "The eigenvalues of a matrix and its subspaces."]);
    // "tabel" is one changed letter from "label" and two swapped letters from "table": the swap wins.
    expect(correctTypos("truth tabel for an implication", notes).corrections).toEqual({ tabel: "table" });
    expect(correctTypos("eigen values??", notes).corrections).toEqual({ eigen: "eigenvalues" });
    expect(correctTypos("what is a sub spaces", notes).corrections).toEqual({ sub: "subspaces" });
    // Not when the notes use the first word alone, nor for stop words ("in to" is not "into").
    expect(correctTypos("row label", buildTermStats(["row label and rowlabel"])).corrections).toEqual({});
  });

  it("takes the notes' hyphenated phrases as course terms", () => {
    // Everyday words only, but "one-to-one" is how the notes write it.
    expect(assessScope({ question: "one-to-one and onto, what do they mean", stats, topPassages: passages, anchored: false }).outOfScope).toBe(false);
    expect(assessScope({ question: "one and onto, what do they mean", stats, topPassages: passages, anchored: false })).toMatchObject({ outOfScope: true, reason: "everyday-words-only" });
  });

  it("counts no display markup as words of the notes", () => {
    expect(withoutMarkup('See <div class="sage">x < 3</div> and \\begin{center}$a<b$ or $c>d$\\end{center}.')).toBe("See  x < 3  and  $a<b$ or $c>d$ .");
    const marked = buildTermStats(['Try it: <div class="sage"><script type="text/x-sage">plot(x)</script></div> \\begin{center} y \\end{center}']);
    for (const markup of ["div", "class", "script", "center"]) expect(marked.df.has(markup)).toBe(false);
    expect(marked.df.has("plot")).toBe(true);
  });
});
