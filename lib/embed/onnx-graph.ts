import onnxProto from "onnx-proto";

/**
 * A small builder over the generated ONNX protobuf classes (onnx-proto, ONNX 1.10 schema = IR version 8).
 * It knows only what the BERT converter needs: typed initializers stored as raw little-endian bytes,
 * nodes with int/float/ints attributes, and graph inputs/outputs with symbolic dimensions.
 */

const { onnx } = onnxProto;
export { onnx };

/** ONNX TensorProto element types used here. */
export const ONNX_TYPE = {
  FLOAT: onnx.TensorProto.DataType.FLOAT,
  UINT8: onnx.TensorProto.DataType.UINT8,
  INT8: onnx.TensorProto.DataType.INT8,
  INT32: onnx.TensorProto.DataType.INT32,
  INT64: onnx.TensorProto.DataType.INT64,
} as const;
export type OnnxElementType = (typeof ONNX_TYPE)[keyof typeof ONNX_TYPE];

/** Domain of onnxruntime's contrib operators (Attention, SkipLayerNormalization, BiasGelu, …). */
export const MS_DOMAIN = "com.microsoft";

type AttributeValue = number | number[] | string | { float: number };

/** Accumulates nodes and initializers; `toModelBytes` serialises the finished model. */
export class OnnxGraphBuilder {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly inputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly outputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(private readonly graphName: string) {}

  /** A fresh value name with a readable prefix. */
  createName(prefix: string): string {
    let name = `${prefix}`;
    while (this.names.has(name)) name = `${prefix}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  /** Declares a graph input; dims are numbers or symbolic names ("batch_size", "sequence_length"). */
  addInput(name: string, elemType: OnnxElementType, dims: (number | string)[]): string {
    this.names.add(name);
    this.inputs.push(createValueInfo(name, elemType, dims));
    return name;
  }

  /** Declares a graph output. */
  addOutput(name: string, elemType: OnnxElementType, dims: (number | string)[]): void {
    this.outputs.push(createValueInfo(name, elemType, dims));
  }

  /** Adds a constant tensor (stored as raw bytes) and returns its name. */
  addInitializer(
    prefix: string,
    elemType: OnnxElementType,
    dims: number[],
    data: Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array,
  ): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) throw new Error(`initializer ${prefix}: dims [${dims}] hold ${count} values, got ${data.length}`);
    const name = this.createName(prefix);
    this.initializers.push(
      onnx.TensorProto.create({
        name,
        dataType: elemType,
        dims,
        // Raw little-endian bytes: the compact encoding every ONNX runtime reads (x86/ARM hosts are LE).
        rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      }),
    );
    return name;
  }

  /**
   * Adds a node. `outputs` may be a count (fresh names with the op type as prefix) or explicit names;
   * returns the output names. A `{ float }` attribute forces FLOAT for integral values (e.g. epsilon 0).
   */
  addNode(
    opType: string,
    inputs: string[],
    outputs: number | string[],
    attributes: Record<string, AttributeValue> = {},
    domain = "",
  ): string[] {
    const outNames =
      typeof outputs === "number"
        ? Array.from({ length: outputs }, (_, i) => this.createName(`${opType}_out${i}`))
        : outputs.map((n) => {
            this.names.add(n);
            return n;
          });
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        domain,
        name: this.createName(`${opType}_node`),
        input: inputs,
        output: outNames,
        attribute: Object.entries(attributes).map(([name, v]) => createAttribute(name, v)),
      }),
    );
    return outNames;
  }

  /** Serialises the model with the given operator-set imports. */
  toModelBytes(opsets: Record<string, number>, metadata: Record<string, string> = {}): Uint8Array {
    const graph = onnx.GraphProto.create({
      name: this.graphName,
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs,
      output: this.outputs,
    });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: "course-tutor lib/embed/convert",
      producerVersion: "1",
      opsetImport: Object.entries(opsets).map(([domain, version]) => ({ domain, version })),
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      graph,
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function createValueInfo(name: string, elemType: OnnxElementType, dims: (number | string)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
}

function createAttribute(name: string, v: AttributeValue) {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === "object" && !Array.isArray(v)) return onnx.AttributeProto.create({ name, type: T.FLOAT, f: v.float });
  if (typeof v === "string") return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(v) });
  if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: T.INTS, ints: v });
  if (Number.isInteger(v)) return onnx.AttributeProto.create({ name, type: T.INT, i: v });
  return onnx.AttributeProto.create({ name, type: T.FLOAT, f: v });
}
