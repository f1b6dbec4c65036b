/**
 * The instructor e2e test's store (run in a child process: LanceDB is native, the Playwright runner stays light):
 *   node --import tsx tests/e2e/seed-instructor.ts <db> <course folder> <rows>
 * ingests the course (no TeX, no model) and seeds `rows` recorded questions over the last 100 days (inside the default 120-day retention, which the app applies at start).
 */
import { ingestCourse } from "../../lib/ingest/ingest-course";
import { listCourseItems, requireSnapshot } from "../../lib/store/read";
import { makeInsightRows, seedInsights } from "../support/seed-insights";

const [db, course, count] = process.argv.slice(2);
const summary = await ingestCourse({ path: course, db, tex: "none", embedder: null, modelStatus: { available: false, modelId: "none" } });
const items = await listCourseItems(await requireSnapshot(db), summary.course);
await seedInsights(db, makeInsightRows({ course: summary.course, items, count: Number(count), now: Date.now(), days: 100, seed: 3, keepQuestions: true }));
process.stdout.write(`${summary.course}\n`);
