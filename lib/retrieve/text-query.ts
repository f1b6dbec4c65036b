import { isEnglishStopWord, stem } from "./terms";

/**
 * The words of a question that full-text search should match: the vocabulary of asking ("explain",
 * "mean", "intuitively", "difference", "stuck") is left out — a passage that happens to say "mean" or
 * "explain" is no closer to the topic — unless the course's own headings or item titles use the word
 * (Think Stats' "Mean and variance", a section called "Differences"): then it is a topic of the notes.
 * The words of a task ("show", "find", "prove") stay: exercises are written with them. English function
 * words go ("what", "does", "how": the index's own stop list is short and keeps them), except those that
 * state a condition of mathematics ("same", "only", "between", "each"). Only the lexical retrievers read it.
 */
export function fullTextQuery(query: string, isTitleWord: (stemmed: string) => boolean): string {
  const kept: string[] = [];
  // Tokens as the index's tokenizer cuts them: "6x" stays one token, as the notes' "6x" is.
  for (const token of query.normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? []) {
    const w = token.toLowerCase();
    if (isEnglishStopWord(w) && !KEPT_STOP.has(w)) continue;
    if ((ASKING.has(w) || WH.has(w)) && !isTitleWord(stem(w))) continue;
    kept.push(token);
  }
  // A question made only of asking words keeps them: searching nothing would find nothing.
  return kept.length ? kept.join(" ") : query;
}

/** How a student frames a question about a topic, not the topic ("what is the intuition behind …, explain simply"). */
const ASKING = new Set([
  "explain", "explained", "explanation", "help", "stuck", "understand", "understanding", "mean", "means", "meaning",
  "meant", "please", "pls", "plz", "thanks", "thank", "hi", "hello", "hey", "confused", "confusing", "intuition",
  "intuitive", "intuitively", "difference", "differences", "plain", "simply", "basically", "actually", "really",
  "exactly", "purpose", "quickly", "geometrically", "whats", "tell", "know", "supposed", "idea", "something",
  "anything", "thing", "things", "kind", "okay", "ok", "cant", "dont", "doesnt", "isnt", "arent", "im", "ive",
  "vs", "versus",
]);

/** Question and auxiliary words the English stop list lacks. */
const WH = new Set(["why", "which", "whom", "whose", "does", "do", "did", "doing", "done", "can", "could", "would", "should", "will", "shall", "may", "might", "must", "lets", "let"]);

/** English stop words that carry a condition in mathematics ("the same eigenvalues", "only if", "between 0 and 1"). */
const KEPT_STOP = new Set(["same", "only", "other", "between", "before", "after", "more", "most", "each", "both", "never", "many", "much", "under", "over", "through", "no", "not", "all", "any", "some", "than", "first", "last"]);
