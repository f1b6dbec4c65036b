import { createWriteStream, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { env } from "../env";
import { objectStoreOptions } from "./object-store";
import { TABLES } from "./schema";

/**
 * A replica's local copy of an `s3://` store, which it serves from: after the copy a question costs no
 * object-store request (measured: ~20 per question when LanceDB reads the full-text index and rows from S3).
 * Lance never rewrites an object (data, index and version files get new names), so a copy is incremental:
 * each sync lists the store and fetches only the keys it does not hold yet (or whose ETag changed: a
 * replaced object). The manifest table is listed before the data tables: every table version a manifest
 * row names was written before that row, so the copy holds all of what its newest row needs.
 * Keys that vanished (old versions a later ingest removed) are deleted locally one sync later, when no
 * snapshot of this process can still be reading them.
 */
export class StoreMirror {
  /** The local folder (a LanceDB store) the replica opens. */
  readonly dir: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly held = new Map<string, string>();
  private vanished = new Set<string>();

  constructor(uri: string) {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(uri);
    if (!m) throw new Error(`not an s3:// store: ${uri}`);
    this.bucket = m[1];
    this.prefix = m[2] ? `${m[2].replace(/\/+$/, "")}/` : "";
    const o = objectStoreOptions(uri);
    this.client = new S3Client({
      region: o.aws_region,
      ...(o.aws_endpoint ? { endpoint: o.aws_endpoint } : {}),
      forcePathStyle: o.aws_virtual_hosted_style_request === "false",
      ...(o.aws_access_key_id
        ? { credentials: { accessKeyId: o.aws_access_key_id, secretAccessKey: o.aws_secret_access_key, ...(o.aws_session_token ? { sessionToken: o.aws_session_token } : {}) } }
        : {}),
    });
    const root = env.TUTOR_STORE_MIRROR_DIR ?? tmpdir();
    mkdirSync(root, { recursive: true });
    this.dir = mkdtempSync(path.join(root, "tutor-store-mirror-"));
  }

  /** Brings the copy up to date; returns how many objects and bytes were fetched. */
  async sync(): Promise<{ fetched: number; bytes: number }> {
    const listed = new Map<string, { etag: string; size: number }>();
    // The manifest first (see the class comment), then the data tables.
    for (const table of [TABLES.manifest, TABLES.passages, TABLES.items, TABLES.courses]) await this.list(`${this.prefix}${table}.lance/`, listed);
    const wanted = [...listed].filter(([key, o]) => this.held.get(key) !== o.etag);
    let bytes = 0;
    const queue = [...wanted];
    await Promise.all(
      Array.from({ length: Math.min(8, queue.length) }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const [key, o] = next;
          await this.fetch(key);
          this.held.set(key, o.etag);
          bytes += o.size;
        }
      }),
    );
    for (const key of this.vanished) {
      if (listed.has(key)) continue;
      rmSync(this.localPath(key), { force: true });
      this.held.delete(key);
    }
    this.vanished = new Set([...this.held.keys()].filter((k) => !listed.has(k)));
    return { fetched: wanted.length, bytes };
  }

  close(): void {
    this.client.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async list(prefix: string, into: Map<string, { etag: string; size: number }>): Promise<void> {
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key && !o.Key.endsWith("/")) into.set(o.Key, { etag: o.ETag ?? "", size: o.Size ?? 0 });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  private async fetch(key: string): Promise<void> {
    const file = this.localPath(key);
    mkdirSync(path.dirname(file), { recursive: true });
    const part = `${file}.part-${process.pid}`;
    const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    await pipeline(r.Body as Readable, createWriteStream(part));
    renameSync(part, file);
  }

  private localPath(key: string): string {
    const rel = key.slice(this.prefix.length);
    if (!rel || rel.split("/").some((p) => p === ".." || p === "")) throw new Error(`unexpected object key in the store: ${key}`);
    return path.join(this.dir, rel);
  }
}

const mirrors: Map<string, StoreMirror> = ((globalThis as Record<string, unknown>).__tutorStoreMirrors ??= new Map()) as Map<string, StoreMirror>;

/** The process's mirror of an `s3://` store (one per store, kept across snapshot reloads). */
export function mirrorOf(uri: string): StoreMirror {
  let m = mirrors.get(uri);
  if (!m) {
    m = new StoreMirror(uri);
    mirrors.set(uri, m);
    const mirror = m;
    process.once("exit", () => rmSync(mirror.dir, { recursive: true, force: true }));
  }
  return m;
}
