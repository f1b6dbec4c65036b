import { words } from "./terms";

/**
 * Danish → English for the course's own vocabulary. The course is taught in Denmark and students mix
 * the languages ("hvad er en konveks funktion"); the notes are in English, so full-text search would miss
 * these words. Only mathematical terms: everyday Danish is left to the dense model.
 */
const DA_EN: Record<string, string> = {
  konveks: "convex", konvekse: "convex", konveksitet: "convexity", funktion: "function", funktioner: "functions",
  afledte: "derivative", afledede: "derivative", differentiabel: "differentiable", differentialkvotient: "derivative",
  mængde: "set", mængder: "sets", delmængde: "subset", foreningsmængde: "union", fællesmængde: "intersection",
  komplement: "complement", sætning: "theorem", sætningen: "theorem", bevis: "proof", beviset: "proof", bevise: "prove",
  definition: "definition", lemma: "lemma", eksempel: "example", opgave: "exercise", hint: "hint", matrix: "matrix",
  matricen: "matrix", hessematrix: "hessian", hessematricen: "hessian", gradienten: "gradient", partielle: "partial",
  partiel: "partial", afledt: "derivative", kritisk: "critical", kritiske: "critical", punkt: "point", punkter: "points",
  minimum: "minimum", maksimum: "maximum", globalt: "global", lokalt: "local", ulighed: "inequality", uligheden: "inequality",
  induktion: "induction", induktionsbevis: "induction proof", injektiv: "injective", surjektiv: "surjective",
  bijektiv: "bijective", invers: "inverse", sammensætning: "composition", sammensat: "composite", følge: "sequence",
  følger: "sequences", rekursion: "recursion", sum: "sum", summen: "sum", binomialkoefficient: "binomial coefficient",
  binomialformlen: "binomial theorem", primtal: "prime", primtallet: "prime", rationale: "rational", rationelle: "rational",
  irrationelle: "irrational", irrationel: "irrational", heltal: "integer", hele: "integers", naturlige: "natural",
  tal: "numbers", reelle: "real", udsagn: "statement", udsagnslogik: "propositional logic", kvantor: "quantifier",
  kvantorer: "quantifiers", negation: "negation", modstrid: "contradiction", kontraposition: "contraposition",
  newtons: "newton", metode: "method", metoden: "method", konvergens: "convergence", konvergerer: "converges",
  taylorpolynomium: "taylor polynomial", taylorpolynomiet: "taylor polynomial", tangent: "tangent", hældning: "slope",
  kontinuert: "continuous", kontinuerlig: "continuous", positiv: "positive", definit: "definite", semidefinit: "semidefinite",
  egenværdi: "eigenvalue", egenværdier: "eigenvalues", mindste: "least", kvadraters: "squares", skridtlængde: "step size",
  gradientmetoden: "gradient descent", begrænsning: "constraint", bibetingelse: "constraint", lagrange: "lagrange",
};

/** Appends the English equivalents of Danish course terms in a question (the question itself is kept). */
export function expandDanish(question: string): string {
  const extra = new Set<string>();
  for (const w of words(question)) {
    const en = DA_EN[w];
    if (en && !question.toLowerCase().includes(en)) extra.add(en);
  }
  return extra.size ? `${question} (${[...extra].join(" ")})` : question;
}

/** True for a Danish course term the glossary translates (its English equivalent carries the meaning). */
export function isDanishCourseWord(word: string): boolean {
  return Object.hasOwn(DA_EN, word);
}

/**
 * Names of the symbols and LaTeX commands students type in questions ("is f∘g the same as g∘f?",
 * "$A \subseteq B$"), in the words the notes use for them, so that full-text search can match.
 */
const SYMBOLS: [RegExp, string][] = [
  [/∘|\\circ\b/g, "composition"],
  [/∀|\\forall\b/g, "for all quantifier"],
  [/∃|\\exists\b/g, "exists quantifier"],
  [/⊆|⊂|\\subseteq\b|\\subset\b/g, "subset"],
  [/∩|\\cap\b/g, "intersection"],
  [/∪|\\cup\b/g, "union"],
  [/∈|\\in\b/g, "element"],
  [/∅|\\emptyset\b|\\varnothing\b/g, "empty set"],
  [/∇²|\\nabla\^2/g, "hessian"],
  [/∇|\\nabla\b/g, "gradient"],
  [/∑|\\sum\b/g, "sum"],
  [/∏|\\prod\b/g, "product"],
  [/\\mid\b/g, "divides"],
  [/⇒|⟹|\\implies\b|\\Rightarrow\b/g, "implies implication"],
  [/⇔|⟺|\\iff\b|\\Leftrightarrow\b/g, "equivalent"],
  [/¬|\\neg\b|\\lnot\b/g, "negation"],
  [/∧|\\wedge\b|\\land\b/g, "and conjunction"],
  [/∨|\\vee\b|\\lor\b/g, "or disjunction"],
  [/\\binom\b/g, "binomial coefficient"],
  [/f\^\{?-1\}?/g, "inverse"],
];

/** Appends the notes' words for the symbols in a question. */
export function expandSymbols(question: string): string {
  const extra = new Set<string>();
  for (const [re, name] of SYMBOLS) if (re.test(question)) extra.add(name);
  for (const [re] of SYMBOLS) re.lastIndex = 0;
  return extra.size ? `${question} (${[...extra].join(" ")})` : question;
}
