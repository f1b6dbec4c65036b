import { log } from "../log";
import { listCourses, openSnapshot } from "../store/read";
import { readInsightsColumn } from "./config";
import { applyRetention } from "./store";

const SWEEP_EVERY_MS = 60 * 60_000;

/**
 * Deletes every insights-recording course's rows past its retention period now and then every hour (the chat
 * also checks on recording, but a course nobody asks about must still forget on time). Courses with insights
 * off are not touched, and a store without an insights table gets none. Returns a stop function.
 */
export function startInsightsSweep(db?: string): () => void {
  const sweep = async () => {
    try {
      const snap = await openSnapshot(db);
      if (!snap) return;
      for (const course of await listCourses(snap)) {
        const config = readInsightsColumn(course.insights);
        if (config) await applyRetention({ db, course: course.id, retentionDays: config.retentionDays, force: true });
      }
    } catch (e) {
      log.warn({ err: (e as Error).message }, "insights: the retention sweep failed; it runs again in an hour");
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), SWEEP_EVERY_MS);
  timer.unref?.();
  return () => clearInterval(timer);
}
