/**
 * Token-id handling around the tokenizer: truncation that keeps the closing special token, and
 * batching with right padding. Pure functions, unit-tested in tests/unit/lib/embed/tokens.test.ts.
 *
 * Why truncation is done here and not by the tokenizer: `@huggingface/transformers` 4.3.1, with
 * `truncation: true, max_length`, cuts the final `[SEP]` off an over-long text, while
 * sentence-transformers (Hugging Face tokenizers' TemplateProcessing) truncates the text and keeps
 * `[CLS] … [SEP]`. So we encode without special tokens, cut the content to
 * `maxTokens - (prefix + suffix)` and add the special tokens ourselves.
 */

/** The special tokens the tokenizer's post-processor puts around a single sequence ([CLS] / [SEP] for BERT). */
export interface SpecialTokenLayout {
  prefix: number[];
  suffix: number[];
}

/**
 * Finds the post-processor's layout by comparing one probe text encoded with and without special
 * tokens: whatever comes before the bare ids is the prefix, whatever follows is the suffix.
 */
export function deriveSpecialTokenLayout(withSpecials: number[], withoutSpecials: number[]): SpecialTokenLayout {
  for (let start = 0; start + withoutSpecials.length <= withSpecials.length; start++) {
    if (withoutSpecials.every((id, i) => withSpecials[start + i] === id)) {
      return { prefix: withSpecials.slice(0, start), suffix: withSpecials.slice(start + withoutSpecials.length) };
    }
  }
  throw new Error("tokenizer post-processor changes the ids of the text itself; cannot place special tokens");
}

/**
 * `prefix + content + suffix`, with the content cut so that the whole fits `maxTokens` — the
 * behaviour of sentence-transformers (the last token stays the closing special token).
 */
export function buildInputIds(content: readonly number[], layout: SpecialTokenLayout, maxTokens: number): number[] {
  const room = maxTokens - layout.prefix.length - layout.suffix.length;
  if (room < 0) throw new Error(`maxTokens ${maxTokens} leaves no room for the special tokens`);
  const kept = content.length > room ? content.slice(0, room) : content;
  return [...layout.prefix, ...kept, ...layout.suffix];
}

/**
 * Groups sequence indices into batches of similar length: sorted by length, longest first (so a
 * too-large batch fails at once rather than at the end), at most `batchSize` per batch. Padding is
 * then at most the length spread inside a batch.
 */
export function planBatches(lengths: readonly number[], batchSize: number): number[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return batches;
}

/** A right-padded batch as flat int64 arrays of shape [batch, seqLen]. */
export interface PaddedBatch {
  batch: number;
  seqLen: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
}

/** Right-pads sequences with `padId` (mask 0), the layout the BERT graph and the pooling expect. */
export function padBatch(seqs: readonly (readonly number[])[], padId: number): PaddedBatch {
  const batch = seqs.length;
  const seqLen = Math.max(1, ...seqs.map((s) => s.length));
  const inputIds = new BigInt64Array(batch * seqLen).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(batch * seqLen);
  seqs.forEach((s, b) => {
    for (let t = 0; t < s.length; t++) {
      inputIds[b * seqLen + t] = BigInt(s[t]);
      attentionMask[b * seqLen + t] = 1n;
    }
  });
  return { batch, seqLen, inputIds, attentionMask, tokenTypeIds: new BigInt64Array(batch * seqLen) };
}
