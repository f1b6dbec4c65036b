/**
 * Where a server's CPU time went: a V8 `.cpuprofile` (node --cpu-prof) summed by self time per function and per
 * module (a package under node_modules, a Next build chunk, the app's own file, Node's internals, GC). For the
 * load bench's `--cpu-prof`; source maps are not applied, so a bundled chunk is named by its file.
 */
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Next's build chunks carry source maps: a frame in one is named by the original file (app code, ai, zod …). */
const maps = new Map<string, SourceMap | null>();
function originalOf(url: string, line: number, column: number): { url: string; line: number } {
  if (!url.includes("/.next/")) return { url, line };
  const file = url.replace(/^file:\/\//, "");
  let map = maps.get(file);
  if (map === undefined) {
    map = existsSync(`${file}.map`) ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8"))) : null;
    maps.set(file, map);
  }
  const e = map?.findEntry(line, column) as { originalSource?: string; originalLine?: number } | undefined;
  if (!e?.originalSource) return { url, line };
  return { url: e.originalSource.replace(/^turbopack:\/\/\/?/, "").replace(/^\[project\]\//, "/project/"), line: e.originalLine ?? line };
}

export interface CpuSummary {
  totalMs: number;
  /** Time not idle (what the server spent working). */
  busyMs: number;
  functions: { name: string; where: string; ms: number; pct: number }[];
  modules: { module: string; ms: number; pct: number }[];
}

/** A script address → a short module name. */
export function moduleOf(url: string, fn: string): string {
  if (!url) return fn.startsWith("(") ? fn : "(native)";
  const u = url.replace(/^file:\/\//, "");
  const nm = u.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const rest = u.slice(nm + "/node_modules/".length).split("/");
    const pkg = rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
    // Next's compiled bundles are several very different things: name the file.
    if (pkg === "next") return `next/${rest.slice(-1)[0]}`;
    return pkg;
  }
  const build = u.indexOf("/.next/");
  if (build >= 0) return `.next/${u.slice(build + 7).replace(/\[[^\]]*\]__/g, "").slice(0, 80)}`;
  if (u.startsWith("node:")) return u;
  return u.replace(/^.*?\/(lib|app|bench|tests|components|server\.ts)\b/, "$1");
}

/**
 * `lastMs`: only the samples of the profile's last `lastMs` (the measured runs, not the server's start-up).
 */
export function summariseCpuProfile(file: string, opts: { top?: number; lastMs?: number } = {}): CpuSummary {
  const top = opts.top ?? 25;
  const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const from = opts.lastMs ? p.endTime - opts.lastMs * 1000 : -Infinity;
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    if (t < from) continue;
    self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  }
  const fns = new Map<string, { name: string; where: string; ms: number }>();
  const mods = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    const { functionName, columnNumber } = n.callFrame;
    const { url, line: lineNumber } = originalOf(n.callFrame.url, n.callFrame.lineNumber, columnNumber);
    total += ms;
    if (functionName === "(idle)") {
      idle += ms;
      continue;
    }
    const mod = moduleOf(url, functionName || "(anonymous)");
    const name = functionName || "(anonymous)";
    const key = `${name}|${url}|${lineNumber}`;
    const f = fns.get(key) ?? { name, where: `${mod}:${lineNumber + 1}`, ms: 0 };
    f.ms += ms;
    fns.set(key, f);
    mods.set(mod, (mods.get(mod) ?? 0) + ms);
  }
  const busy = total - idle;
  const pct = (ms: number) => Math.round((ms / busy) * 1000) / 10;
  return {
    totalMs: Math.round(total),
    busyMs: Math.round(busy),
    functions: [...fns.values()].sort((a, b) => b.ms - a.ms).slice(0, top).map((f) => ({ ...f, ms: Math.round(f.ms), pct: pct(f.ms) })),
    modules: [...mods.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([module, ms]) => ({ module, ms: Math.round(ms), pct: pct(ms) })),
  };
}

export function formatCpuSummary(s: CpuSummary, answers?: number): string {
  const per = answers ? ` (${(s.busyMs / answers).toFixed(1)} ms of CPU per request)` : "";
  const lines = [`server CPU: ${(s.busyMs / 1000).toFixed(1)} s busy of ${(s.totalMs / 1000).toFixed(1)} s${per}`, "  by module (self time):"];
  for (const m of s.modules) lines.push(`    ${String(m.pct).padStart(5)} %  ${String(m.ms).padStart(7)} ms  ${m.module}`);
  lines.push("  by function (self time):");
  for (const f of s.functions) lines.push(`    ${String(f.pct).padStart(5)} %  ${String(f.ms).padStart(7)} ms  ${f.name}  ${f.where}`);
  return lines.join("\n");
}
