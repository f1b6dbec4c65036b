import path from "node:path";
import { loadCourseWithTex } from "@/lib/course/load-course";
const doc = await loadCourseWithTex({ path: path.resolve(process.argv[2]), tex: "none" as never });
const seen = new Map<string, number>();
for (const d of doc.diagnostics) { const k = d.message.replace(/\d+/g, "#").slice(0, 110); seen.set(k, (seen.get(k) ?? 0) + 1); }
for (const d of doc.diagnostics.slice(0, Number(process.argv[3] ?? 25))) console.log(`${d.file}:${d.line}: ${d.message.slice(0, 220)}`);
console.log([...seen].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, n]) => `${n} × ${k}`).join("\n"));
