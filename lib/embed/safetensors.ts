import { readFile, writeFile } from "node:fs/promises";

/**
 * A minimal reader/writer for the safetensors format (https://github.com/huggingface/safetensors):
 * 8 bytes little-endian u64 header length N, N bytes of JSON header
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: {…} }`, then the raw
 * little-endian tensor bytes, offsets relative to the end of the header.
 * We read it ourselves instead of pulling a dependency: the format is this simple, and the converter
 * only ever needs float tensors widened to float32.
 */

/** Element types the reader understands; every one is widened to float32 on read. */
export const SAFETENSORS_DTYPES = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
} as const;
export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPES;

/** One tensor as read: its stored dtype, its shape, and its values widened to float32. */
export interface FloatTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float32Array;
}

/** A parsed safetensors file: tensors by name plus the optional `__metadata__` string map. */
export interface SafetensorsFile {
  tensors: Map<string, FloatTensor>;
  metadata: Record<string, string>;
}

/** A problem with the bytes of a safetensors file (truncated, bad header, inconsistent offsets). */
export class SafetensorsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SafetensorsFormatError";
  }
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** Decodes an IEEE half-precision bit pattern. */
function convertHalfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** Widens the raw bytes of one tensor to float32 (copying, so the result never aliases the file buffer). */
function decodeToFloat32(bytes: Uint8Array, dtype: SafetensorsDtype, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  switch (dtype) {
    case "F32":
      // Fast path: a byte copy. Works whatever the alignment of the source inside the file.
      new Uint8Array(out.buffer).set(bytes);
      if (!isLittleEndianHost()) for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      break;
    case "F64":
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      break;
    case "F16":
      for (let i = 0; i < count; i++) out[i] = convertHalfToFloat(view.getUint16(i * 2, true));
      break;
    case "BF16": {
      // bfloat16 is the top half of a float32.
      const u32 = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) u32[i] = view.getUint16(i * 2, true) << 16;
      break;
    }
    case "I64":
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(i * 8, true));
      break;
    case "I32":
      for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true);
      break;
    case "I16":
      for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true);
      break;
    case "I8":
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      break;
    case "U8":
    case "BOOL":
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i);
      break;
  }
  return out;
}

function isLittleEndianHost(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

/**
 * Parses safetensors bytes. Validates everything a truncated download or a wrong file could break:
 * header length, JSON, dtype, shape × dtype size = byte span, spans inside the data section.
 */
export function parseSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.byteLength < 8) throw new SafetensorsFormatError("file shorter than the 8-byte header length");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > 100_000_000 || 8 + headerLength > bytes.byteLength) {
    throw new SafetensorsFormatError(`header length ${headerLength} does not fit in a ${bytes.byteLength}-byte file`);
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  } catch (e) {
    throw new SafetensorsFormatError(`header is not JSON: ${(e as Error).message}`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) {
    throw new SafetensorsFormatError("header is not a JSON object");
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.byteLength - dataStart;
  const tensors = new Map<string, FloatTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === "__metadata__") {
      metadata = (raw ?? {}) as Record<string, string>;
      continue;
    }
    const entry = raw as HeaderEntry;
    if (!entry || typeof entry.dtype !== "string" || !Array.isArray(entry.shape) || !Array.isArray(entry.data_offsets)) {
      throw new SafetensorsFormatError(`tensor "${name}": malformed header entry`);
    }
    if (!(entry.dtype in SAFETENSORS_DTYPES)) {
      throw new SafetensorsFormatError(`tensor "${name}": unsupported dtype ${entry.dtype}`);
    }
    const dtype = entry.dtype as SafetensorsDtype;
    const [begin, end] = entry.data_offsets;
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end < begin || end > dataLength) {
      throw new SafetensorsFormatError(
        `tensor "${name}": data offsets [${begin}, ${end}] outside the ${dataLength}-byte data section (truncated file?)`,
      );
    }
    if (end - begin !== count * SAFETENSORS_DTYPES[dtype]) {
      throw new SafetensorsFormatError(
        `tensor "${name}": shape [${entry.shape.join(", ")}] of ${dtype} needs ${count * SAFETENSORS_DTYPES[dtype]} bytes, offsets give ${end - begin}`,
      );
    }
    const data = decodeToFloat32(bytes.subarray(dataStart + begin, dataStart + end), dtype, count);
    tensors.set(name, { dtype, shape: [...entry.shape], data });
  }
  return { tensors, metadata };
}

/** Reads and parses a `.safetensors` file. */
export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  const bytes = await readFile(path);
  try {
    return parseSafetensors(bytes);
  } catch (e) {
    if (e instanceof SafetensorsFormatError) throw new SafetensorsFormatError(`${path}: ${e.message}`);
    throw e;
  }
}

/** A float32 tensor to write. */
export interface Float32TensorInput {
  shape: number[];
  data: Float32Array;
}

/**
 * Serialises float32 tensors to safetensors bytes (names sorted, as the reference implementation does;
 * header padded with spaces to a multiple of 8 so the data section stays aligned).
 */
export function serializeSafetensors(
  tensors: Record<string, Float32TensorInput>,
  metadata: Record<string, string> = { format: "pt" },
): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new Error(`tensor "${name}": shape has ${count} elements, data ${t.data.length}`);
    header[name] = { dtype: "F32", shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += " ";
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.byteLength;
  for (const name of names) {
    const d = tensors[name].data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), pos);
    pos += d.byteLength;
  }
  return out;
}

/** Writes float32 tensors to a `.safetensors` file. */
export async function writeSafetensors(
  path: string,
  tensors: Record<string, Float32TensorInput>,
  metadata?: Record<string, string>,
): Promise<void> {
  await writeFile(path, serializeSafetensors(tensors, metadata));
}
