/**
 * Sentence pooling over the encoder output, as sentence-transformers' Pooling and Normalize modules
 * compute it. Accumulates in float64 and rounds once to float32, which keeps the result within a
 * few ulp of PyTorch's float32 reductions.
 */

/** Pooling of one sequence (row `row` of a [batch, seqLen, hidden] tensor). */
export interface PoolRowInput {
  hidden: Float32Array;
  seqLen: number;
  hiddenSize: number;
  row: number;
  /** Number of real (unpadded) tokens of this row; padding is on the right. */
  length: number;
  /** Tokens before this index are left out (sentence-transformers `include_prompt: false`). */
  skip?: number;
}

/**
 * Mean over the tokens of the attention mask, [CLS] and [SEP] included:
 * Σ mask·h / max(Σ mask, 1e-9), exactly sentence-transformers' mean pooling.
 */
export function poolMean({ hidden, seqLen, hiddenSize, row, length, skip = 0 }: PoolRowInput): Float32Array {
  const acc = new Float64Array(hiddenSize);
  const base = row * seqLen * hiddenSize;
  for (let t = skip; t < length; t++) {
    const off = base + t * hiddenSize;
    for (let d = 0; d < hiddenSize; d++) acc[d] += hidden[off + d];
  }
  const count = Math.max(length - skip, 1e-9);
  const out = new Float32Array(hiddenSize);
  for (let d = 0; d < hiddenSize; d++) out[d] = acc[d] / count;
  return out;
}

/** The first token's vector ([CLS] pooling). */
export function poolCls({ hidden, seqLen, hiddenSize, row }: PoolRowInput): Float32Array {
  const off = row * seqLen * hiddenSize;
  return hidden.slice(off, off + hiddenSize);
}

/** Element-wise max over the masked tokens (sentence-transformers sets masked positions to -1e9 first). */
export function poolMax({ hidden, seqLen, hiddenSize, row, length, skip = 0 }: PoolRowInput): Float32Array {
  const out = new Float32Array(hiddenSize).fill(-1e9);
  const base = row * seqLen * hiddenSize;
  for (let t = skip; t < length; t++) {
    const off = base + t * hiddenSize;
    for (let d = 0; d < hiddenSize; d++) if (hidden[off + d] > out[d]) out[d] = hidden[off + d];
  }
  return out;
}

/** v / max(‖v‖₂, 1e-12), torch.nn.functional.normalize's definition; returns a new array. */
export function normalizeL2(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const norm = Math.max(Math.sqrt(sum), 1e-12);
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] / norm;
  return out;
}

/** Cosine similarity (float64 accumulation). */
export function computeCosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.max(Math.sqrt(na) * Math.sqrt(nb), 1e-30);
}
