import { isEnglishWord } from "./english";
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
  // Chapter vocabulary a Danish student types, also as parts of compounds ("middelværdi|sætningen",
  // "konvergens|orden", "induktions|antagelsen", "kæde|reglen"); "å" is folded to "a" as words() folds it.
  middelværdi: "mean value", orden: "order", antagelse: "hypothesis", regel: "rule", kæde: "chain",
  fuldstændig: "strong", stærk: "strong", grænseværdi: "limit", grænse: "limit", række: "series", vektor: "vector",
  skalarprodukt: "dot product", prikprodukt: "dot product", determinant: "determinant", egenvektor: "eigenvector",
  symmetrisk: "symmetric", kvadratisk: "quadratic", polynomium: "polynomial", nulpunkt: "root", rod: "root",
  iteration: "iteration", hastighed: "rate", billedmængde: "image", definitionsmængde: "domain",
  dispositionsmængde: "codomain", værdimængde: "range", potensmængde: "power set", kardinalitet: "cardinality",
  ækvivalens: "equivalence", ækvivalent: "equivalent", implikation: "implication", sandhedstabel: "truth table",
  tautologi: "tautology", fakultet: "factorial", rekursiv: "recursive", tilnærmelse: "approximation",
  approksimation: "approximation", restled: "remainder", saddelpunkt: "saddle point", ekstremum: "extremum",
  ekstremumspunkt: "extremum", stationært: "stationary", stationær: "stationary", multiplikator: "multiplier",
  uendelig: "infinite", endelig: "finite", tællelig: "countable", delelig: "divisible", divisor: "divisor",
  kvotient: "quotient", produkt: "product", forskrift: "formula", formel: "formula", identitet: "identity",
  element: "element", tomme: "empty", relation: "relation", graf: "graph", niveaukurve: "level curve",
  retningsafledet: "directional derivative", retningsafledede: "directional derivative", kvadratrod: "square root",
};

/** Danish definite, plural and genitive endings, longest first: "reglen", "følgerne", "funktionens". */
const DA_ENDINGS = ["ernes", "enes", "erne", "ens", "ets", "ene", "en", "et", "er", "ne", "s", "e", "n", "t"];
const TRANSLATIONS = new Map<string, string | null>();


/** The glossary entry of a Danish word, directly or through an inflected form ("reglen" → regel → "rule"). */
function lookupInflected(word: string): string | undefined {
  if (Object.hasOwn(DA_EN, word)) return DA_EN[word];
  for (const ending of DA_ENDINGS) {
    if (word.length - ending.length < 3 || !word.endsWith(ending)) continue;
    const base = word.slice(0, -ending.length);
    if (Object.hasOwn(DA_EN, base)) return DA_EN[base];
    // "reglen" → "regl" → "regel": Danish drops an unstressed e before the ending.
    const withE = `${base.slice(0, -1)}e${base.slice(-1)}`;
    if (base.length >= 3 && Object.hasOwn(DA_EN, withE)) return DA_EN[withE];
  }
  return undefined;
}

/**
 * English for a Danish course word: a glossary entry, an inflected form of one, or a compound of two
 * ("middelværdisætningen" → "mean value theorem", "konvergensorden" → "convergence order", with the
 * linking s of "induktions|antagelsen"). English words are never split ("former" is not "form" + "er").
 */
export function translateDanish(word: string): string | undefined {
  const cached = TRANSLATIONS.get(word);
  if (cached !== undefined) return cached ?? undefined;
  let found = Object.hasOwn(DA_EN, word) ? DA_EN[word] : undefined;
  if (!found && word.length >= 5 && !isEnglishWord(word)) {
    found = lookupInflected(word);
    for (let i = 3; !found && i <= word.length - 3; i++) {
      const right = lookupInflected(word.slice(i));
      if (!right) continue;
      const left = word.slice(0, i);
      const head = DA_EN[left] ?? (left.endsWith("s") || left.endsWith("e") ? DA_EN[left.slice(0, -1)] : undefined);
      if (head) found = `${head} ${right}`;
    }
  }
  if (TRANSLATIONS.size < 50_000) TRANSLATIONS.set(word, found ?? null);
  return found;
}

/** Appends the English equivalents of Danish course terms in a question (the question itself is kept). */
export function expandDanish(question: string): string {
  const extra = new Set<string>();
  for (const w of words(question)) {
    const en = translateDanish(w);
    if (en && !question.toLowerCase().includes(en)) extra.add(en);
  }
  return extra.size ? `${question} (${[...extra].join(" ")})` : question;
}

/** True for a Danish course term the glossary translates (its English equivalent carries the meaning). */
export function isDanishCourseWord(word: string): boolean {
  return translateDanish(word) !== undefined;
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

/**
 * Mathematics typed as plain text ("lim sup", "sqrt(xy)", "n choose k", "P(A|B)", "<=") and the LaTeX command
 * names the notes' source writes for it (`\limsup`, `\sqrt`, `\binom`, `\mid`, `\leq`): full-text search
 * indexes those names as words, so the question gets them too. General LaTeX, not any one book's macros.
 */
const MATH_WORDS: [RegExp, string][] = [
  [/\blim\s*sup\b|\blimit superior\b/gi, "limsup"],
  [/\blim\s*inf\b|\blimit inferior\b/gi, "liminf"],
  [/\bsqrt\b|\bsquare roots?\b|√/gi, "sqrt"],
  [/\bintegra(?:l|ls|te|tion)\b|∫/gi, "int"],
  [/\binfinit(?:y|e)\b|∞/gi, "infty"],
  [/\bchoose\b|\bbinomial\b/gi, "binom"],
  [/\bepsilon\b|ε/gi, "varepsilon epsilon"],
  [/\bphi\b|φ/gi, "varphi phi"],
  [/\bnot equal\b|!=|≠/gi, "neq"],
  [/<=|≤|\bless than or equal\b/gi, "leq le"],
  [/>=|≥|\bgreater than or equal\b/gi, "geq ge"],
  [/\bpartial derivatives?\b|∂/gi, "partial"],
  [/\bdot product\b|\binner product\b/gi, "cdot langle"],
  [/\bdeterminants?\b/gi, "det"],
  [/\b(?:natural )?log(?:arithm)?s?\b|\bln\b/gi, "log ln"],
  [/\bexponential\b|\be\^/gi, "exp"],
  [/\b[A-Z]\s*\|\s*[A-Z]\b|\bgiven that\b/g, "mid given"],
  [/\bx\s*bar\b|\bsample mean\b/gi, "bar"],
  [/\btends? to\b|->|→/gi, "to"],
  [/\bnorm\b|\|\|/gi, "norm"],
  [/\btranspos(?:e|es|ed|ing)\b|\^T\b/gi, "top transpose"],
  // "for all" is a quantifier; "there is/are" is everyday English far more often than ∃, so it adds nothing.
  [/\bfor (?:all|every)\b/gi, "forall"],
  [/\bnegat(?:e|es|ed|ing|ion)\b/gi, "neg"],
  // LaTeX writes the empty set \emptyset or \varnothing, the power set \mathcal{P}(X) or \wp(X).
  [/\bempty\s*set\b|\bemptyset\b/gi, "emptyset varnothing"],
  [/\bpower\s*sets?\b/gi, "mathcal wp"],
  [/(?<![\p{L}\d])[A-Z]\s*[x×]\s*(?:[A-Z](?![\p{L}\d])|empty)|\bcartesian product\b/gu, "times"],
  [/\b[a-z]\s+o\s+[a-z]\b|\bcompos(?:e|ed|ition|itions)\b/g, "circ"],
  // LaTeX's convention: \cdots between operators ("1 + q + ... + q^n"), \ldots in a list ("1, 3, 5, ...").
  [/[-+*·×=]\s*(?:\.\.\.|…)|(?:\.\.\.|…)\s*[-+*·×=]/g, "cdots"],
  [/,\s*(?:\.\.\.|…)|(?:\.\.\.|…)\s*,/g, "ldots"],
  [/\bone[- ]to[- ]one\b/gi, "injective"],
  [/\bonto\b/gi, "surjective"],
  [/\bfactorial\b|\b\d+!|\b[a-z]!/gi, "factorial"],
];

/**
 * Appends the LaTeX command names of the plain-text mathematics in a question, for full-text search only:
 * they are the source's spelling, not evidence that the course covers the question (the scope check never sees them).
 */
export function expandMathWords(query: string): string {
  return appendSpellings(appendNames(query, MATH_WORDS));
}

/**
 * The other spelling of words written "-ize"/"-ise" ("diagonalization" ↔ "diagonalisation", "normalise" ↔
 * "normalize"): notes and students differ by country, and the stemmer keeps the two apart.
 */
const ALWAYS_ISE = new Set(["exerci", "advi", "devi", "revi", "surpri", "comprom", "experti", "premi", "preci", "conci", "promi", "prai", "franchi", "merchandi", "enterpri", "chasti", "despi", "disgui", "televi", "supervi", "improvi", "inci", "exci", "compri", "demi", "capsi", "downsi", "resi"]);

function appendSpellings(query: string): string {
  const extra = new Set<string>();
  for (const m of query.matchAll(/\b([a-z]{3,}?)([iy])([sz])(e|es|ed|ing|ation|ations|able|er|ers)\b/gi)) {
    const [, head, vowel, letter, tail] = m;
    // "size", "prize", "raise", "arise": too short to be the suffix; "otherwise", "exercise": always written so.
    if (head.length < 4 || /wi$/i.test(`${head}${vowel}`) || ALWAYS_ISE.has(`${head}${vowel}`.toLowerCase())) continue;
    extra.add(`${head}${vowel}${letter.toLowerCase() === "z" ? "s" : "z"}${tail}`.toLowerCase());
  }
  return extra.size ? `${query} (${[...extra].join(" ")})` : query;
}

/** Appends the notes' words for the symbols in a question. */
export function expandSymbols(question: string): string {
  return appendNames(question, SYMBOLS);
}

function appendNames(question: string, table: [RegExp, string][]): string {
  const extra = new Set<string>();
  for (const [re, name] of table) {
    if (re.test(question)) extra.add(name);
    re.lastIndex = 0;
  }
  return extra.size ? `${question} (${[...extra].join(" ")})` : question;
}
