import { stemmer } from "stemmer";
import { dan, eng } from "stopword";

/**
 * Words that carry no topic in a student's question: English and Danish stop words (the course is taught
 * in Denmark and questions mix the languages) plus the vocabulary of asking for help.
 */
const QUESTION_WORDS = [
  "explain", "explained", "explanation", "help", "stuck", "understand", "understanding", "mean", "means", "meaning",
  "please", "pls", "thanks", "thank", "hi", "hello", "hey", "question", "questions", "answer", "answers", "notes",
  "course", "book", "chapter", "section", "subsection", "exercise", "exercises", "ex", "part", "hint", "hints",
  "know", "tell", "give", "get", "use", "used", "using", "need", "want", "wants", "asked", "asks", "ask", "supposed",
  "really", "just", "also", "still", "even", "example", "examples", "kind", "thing", "things", "way", "something",
  "anything", "idea", "ok", "okay", "yes", "no", "like", "go", "going", "next", "previous", "one", "two", "true",
  "false", "right", "wrong", "work", "works", "does", "do", "did", "doing", "done", "show", "find", "why", "what",
  "how", "which", "when", "where", "who", "whom", "can", "could", "would", "should", "will", "shall", "may", "might",
  "must", "got", "let", "lets", "make", "makes", "see", "say", "says", "said", "write", "written", "start", "begin",
  "opgave", "opgaven", "opg", "forstår", "forstå", "hvad", "hvordan", "hvorfor", "hjælp", "jeg", "ikke", "kan",
  "skal", "bruger", "bruge", "betyder", "noterne",
  // contractions as students type them without the apostrophe
  "cant", "dont", "doesnt", "isnt", "arent", "wont", "didnt", "im", "ive", "ill", "id", "youre", "thats", "whats",
  "don", "doesn", "isn", "aren", "won", "didn", "ve", "re", "ll", "vs", "pls", "plz", "etc", "eg", "ie",
];
const STOP = new Set([...eng, ...dan, ...QUESTION_WORDS].map((w) => w.toLowerCase()));

const ENGLISH_STOP = new Set(eng.map((w) => w.toLowerCase()));

/** True for English stop words ("the", "is", "of"). */
export function isEnglishStopWord(word: string): boolean {
  return ENGLISH_STOP.has(word);
}

/** True for stop words and the vocabulary of asking ("explain", "stuck", "opgave"). */
export function isStopWord(word: string): boolean {
  return STOP.has(word);
}

/**
 * A passage's text without the markup it keeps for display: HTML tags (`<div class="sage">`) and
 * environment delimiters (`\begin{center}`), whose names are not words of the notes ("div", "center").
 */
const HTML_TAG_RE = /<\/?(?:div|script|span|p|br|pre|code|img|a|b|i|em|strong|table|thead|tbody|tr|td|th|ul|ol|li|sup|sub|iframe|hr|h[1-6]|details|summary|figure|figcaption)(?:\s[^<>]{0,200})?\/?>/gi;

export function withoutMarkup(text: string): string {
  return text.replace(HTML_TAG_RE, " ").replace(/\\(?:begin|end)\{[^{}]{1,40}\}/g, " ");
}

/** Lower-cased, accent-folded words and numbers of a text, LaTeX commands split off (`\nabla` → "nabla"). */
export function words(text: string): string[] {
  return (
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .match(/[\p{L}]+|\d+/gu) ?? []
  );
}

/** Stems of words seen so far: a course's texts repeat a small vocabulary, and stemming is the costly part. */
const STEMS = new Map<string, string>();
const MAX_STEMS = 500_000;

/** The Porter stem of a word ("convexity" → "convex"), memoised. */
export function stem(word: string): string {
  let s = STEMS.get(word);
  if (s === undefined) {
    s = stemmer(word);
    if (STEMS.size < MAX_STEMS) STEMS.set(word, s);
  }
  return s;
}

/** Topic terms of a text: words minus stop/question words, stemmed ("convexity" → "convex"). */
export function topicTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (STOP.has(w) || (w.length < 2 && !/\d/.test(w))) continue;
    out.push(stem(w));
  }
  return out;
}
