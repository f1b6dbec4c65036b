import { describe, expect, it } from "vitest";
import { parseSafetensors, SafetensorsFormatError, serializeSafetensors } from "@/lib/embed/safetensors";

/** Builds a safetensors file by hand, with any dtype, to test the reader independently of the writer. */
function buildFile(entries: { name: string; dtype: string; shape: number[]; bytes: Uint8Array }[], pad = 0): Uint8Array {
  let offset = 0;
  const header: Record<string, unknown> = { __metadata__: { format: "pt" } };
  for (const e of entries) {
    header[e.name] = { dtype: e.dtype, shape: e.shape, data_offsets: [offset, offset + e.bytes.byteLength] };
    offset += e.bytes.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header) + " ".repeat(pad));
  const out = new Uint8Array(8 + json.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let pos = 8 + json.byteLength;
  for (const e of entries) {
    out.set(e.bytes, pos);
    pos += e.bytes.byteLength;
  }
  return out;
}

describe("safetensors", () => {
  it("round-trips float32 tensors and metadata", () => {
    const a = Float32Array.from([1.5, -2, 3.25, 0, 1e-7, -1e7]);
    const b = Float32Array.from([42]);
    const bytes = serializeSafetensors({ "x.weight": { shape: [2, 3], data: a }, b: { shape: [1], data: b } }, { format: "pt", note: "t" });
    expect((8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))) % 8).toBe(0);
    const parsed = parseSafetensors(bytes);
    expect(parsed.metadata).toEqual({ format: "pt", note: "t" });
    expect(parsed.tensors.get("x.weight")).toMatchObject({ dtype: "F32", shape: [2, 3] });
    expect(Array.from(parsed.tensors.get("x.weight")!.data)).toEqual(Array.from(a));
    expect(Array.from(parsed.tensors.get("b")!.data)).toEqual([42]);
  });

  it("reads unaligned data (odd header length) by copying", () => {
    const f = Float32Array.from([1, 2, 3]);
    const bytes = buildFile([{ name: "t", dtype: "F32", shape: [3], bytes: new Uint8Array(f.buffer) }], 3);
    expect(Array.from(parseSafetensors(bytes).tensors.get("t")!.data)).toEqual([1, 2, 3]);
  });

  it("widens F16, BF16, F64 and integers to float32", () => {
    const f16 = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3555, 0x0001, 0x7c00]).buffer); // 1, -2, ~0.333, subnormal, inf
    const bf16 = new Uint8Array(new Uint16Array([0x3f80, 0xc040]).buffer); // 1, -3
    const f64 = new Uint8Array(Float64Array.from([0.1, -5]).buffer);
    const i64 = new Uint8Array(BigInt64Array.from([7n, -3n]).buffer);
    const parsed = parseSafetensors(
      buildFile([
        { name: "h", dtype: "F16", shape: [5], bytes: f16 },
        { name: "bf", dtype: "BF16", shape: [2], bytes: bf16 },
        { name: "d", dtype: "F64", shape: [2], bytes: f64 },
        { name: "i", dtype: "I64", shape: [2], bytes: i64 },
      ]),
    );
    const h = parsed.tensors.get("h")!.data;
    expect(h[0]).toBe(1);
    expect(h[1]).toBe(-2);
    expect(h[2]).toBeCloseTo(1 / 3, 3);
    expect(h[3]).toBeCloseTo(2 ** -24, 30);
    expect(h[4]).toBe(Infinity);
    expect(Array.from(parsed.tensors.get("bf")!.data)).toEqual([1, -3]);
    expect(parsed.tensors.get("d")!.data[0]).toBeCloseTo(0.1, 7);
    expect(Array.from(parsed.tensors.get("i")!.data)).toEqual([7, -3]);
  });

  it("rejects truncated files, bad headers and inconsistent shapes with a reason", () => {
    const good = serializeSafetensors({ t: { shape: [4], data: new Float32Array(4) } });
    expect(() => parseSafetensors(good.subarray(0, good.byteLength - 1))).toThrow(/outside the .*data section/);
    expect(() => parseSafetensors(good.subarray(0, 5))).toThrow(SafetensorsFormatError);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 1000n, true);
    expect(() => parseSafetensors(huge)).toThrow(/does not fit/);
    const notJson = new Uint8Array(12);
    new DataView(notJson.buffer).setBigUint64(0, 4n, true);
    notJson.set(new TextEncoder().encode("{{{{"), 8);
    expect(() => parseSafetensors(notJson)).toThrow(/not JSON/);
    const wrongShape = buildFile([{ name: "t", dtype: "F32", shape: [3], bytes: new Uint8Array(16) }]);
    expect(() => parseSafetensors(wrongShape)).toThrow(/needs 12 bytes/);
    const badDtype = buildFile([{ name: "t", dtype: "C64", shape: [1], bytes: new Uint8Array(8) }]);
    expect(() => parseSafetensors(badDtype)).toThrow(/unsupported dtype/);
  });
});
