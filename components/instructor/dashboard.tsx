import Link from "next/link";
import type { InstructorReport } from "@/lib/instructor/report";
import { LISTED_MAX, PERIODS, type Period } from "@/lib/instructor/report";
import { ColumnBars, HorizontalBars } from "./bar-chart";
import { HeatMap } from "./heat-map";
import { QuestionGroups } from "./question-groups";

const PERIOD_NAMES: Record<Period, string> = { "7d": "7 days", "30d": "30 days", "120d": "120 days", all: "All" };

export function instructorPath(course: string, period?: Period): string {
  return `/instructor/${encodeURIComponent(course)}${period ? `?period=${period}` : ""}`;
}

export function csvPath(course: string, period: Period): string {
  return `/api/instructor/${encodeURIComponent(course)}/export.csv?period=${period}`;
}

/** "; the newest 400 of 2,345 are grouped here" when the list was cut. */
const listNote = (count: number) => (count > LISTED_MAX ? `; the newest ${LISTED_MAX} of ${count.toLocaleString("en")} are grouped here` : "");

const pct = (n: number, of: number) => (of ? `${Math.round((100 * n) / of)} %` : "–");

/** The instructor page's body for one course and period (a server component: no client JavaScript). */
export function InstructorDashboard({ report }: { report: InstructorReport }) {
  const { course, insights, periodName: period, totals: t, weeks, topExercises } = report;
  const weekLabel = (w: string) => new Date(`${w}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
  return (
    <article className="instructor" data-testid="instructor-page">
      <h1>{course.title}</h1>
      <p className="muted">What students asked the tutor about this course. Nothing here identifies a student.</p>
      {!insights ? (
        <section className="insights-off" role="status" data-testid="insights-off">
          <h2>Insights are off for this course</h2>
          <p>The tutor records nothing about this course&apos;s questions. To turn recording on, add to the course&apos;s course.json:</p>
          <pre className="code">{`"insights": { "keepQuestions": false, "retentionDays": 120 }`}</pre>
          <p>
            and ingest the course again (<code>npm run ingest -- &lt;course folder&gt;</code>). <code>keepQuestions</code> keeps each question&apos;s text
            (off: only the labels it named, the citations and the feedback); rows older than <code>retentionDays</code> are deleted. Tell students
            before you turn it on.
          </p>
        </section>
      ) : null}
      <nav className="period-nav" aria-label="Period">
        <ul>
          {(Object.keys(PERIODS) as Period[]).map((p) => (
            <li key={p}>
              <Link href={instructorPath(course.id, p)} aria-current={p === period ? "page" : undefined}>
                {PERIOD_NAMES[p]}
              </Link>
            </li>
          ))}
        </ul>
        <a className="button" href={csvPath(course.id, period)} download data-testid="csv-link">
          Download CSV
        </a>
      </nav>

      <section aria-labelledby="totals-h">
        <h2 id="totals-h">{period === "all" ? "All recorded questions" : `The last ${PERIOD_NAMES[period]}`}</h2>
        <dl className="totals" data-testid="totals">
          <div>
            <dt>Questions</dt>
            <dd data-testid="total-questions">{t.questions}</dd>
          </div>
          <div>
            <dt>Not covered by the notes</dt>
            <dd>
              {report.counts.notCovered} <span className="muted">({pct(report.counts.notCovered, t.questions)})</span>
            </dd>
          </div>
          <div>
            <dt>Answers without a verified citation</dt>
            <dd>
              {t.ungrounded} <span className="muted">({pct(t.ungrounded, t.questions)})</span>
            </dd>
          </div>
          <div>
            <dt>Thumbs up / down</dt>
            <dd>
              {t.thumbsUp} / {t.thumbsDown}
            </dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="heat-h">
        <h2 id="heat-h">Questions by chapter, section and exercise</h2>
        <p className="muted small">
          A question counts for the labels it named; if it named none, for those its answer cited and the tutor verified; else for the section it was
          answered from.
        </p>
        <HeatMap chapters={report.chapters} course={course.id} max={report.max} />
      </section>

      <section aria-labelledby="top-h">
        <h2 id="top-h">Most asked exercises</h2>
        {topExercises.length ? (
          <>
            <HorizontalBars
              title={`Most asked exercises: ${topExercises.map((e) => `${e.label} ${e.questions}`).join(", ")}`}
              bars={topExercises.map((e) => ({ key: e.label, label: e.label, value: e.questions, part: e.thumbsDown }))}
            />
            <details>
              <summary>The numbers as a table</summary>
              <table className="data-table" data-testid="top-exercises">
                <thead>
                  <tr>
                    <th scope="col">Exercise</th>
                    <th scope="col">Title</th>
                    <th scope="col">Questions</th>
                    <th scope="col">Thumbs down</th>
                  </tr>
                </thead>
                <tbody>
                  {topExercises.map((e) => (
                    <tr key={e.label}>
                      <th scope="row">{e.label}</th>
                      <td>{e.title}</td>
                      <td>{e.questions}</td>
                      <td>{e.thumbsDown}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
            <p className="muted small">Darker part of a bar: answers that got a thumbs down.</p>
          </>
        ) : (
          <p className="muted">No question named or was answered from an exercise in this period.</p>
        )}
      </section>

      <section aria-labelledby="weeks-h">
        <h2 id="weeks-h">Questions per week</h2>
        {weeks.length ? (
          <>
            <ColumnBars
              title={`Questions per week, ${weeks.length} weeks from ${weekLabel(weeks[0].start)}; the most in one week: ${Math.max(...weeks.map((w) => w.questions))}`}
              bars={weeks.map((w) => ({ key: w.week, label: weekLabel(w.start), value: w.questions, part: w.notCovered }))}
            />
            <details>
              <summary>The numbers as a table</summary>
              <table className="data-table" data-testid="weeks">
                <thead>
                  <tr>
                    <th scope="col">Week</th>
                    <th scope="col">Starts</th>
                    <th scope="col">Questions</th>
                    <th scope="col">Not covered by the notes</th>
                    <th scope="col">Without verified citation</th>
                    <th scope="col">Thumbs down</th>
                  </tr>
                </thead>
                <tbody>
                  {weeks.map((w) => (
                    <tr key={w.week}>
                      <th scope="row">{w.week}</th>
                      <td>{w.start}</td>
                      <td>{w.questions}</td>
                      <td>{w.notCovered}</td>
                      <td>{w.ungrounded}</td>
                      <td>{w.thumbsDown}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
            <p className="muted small">Darker part of a bar: questions the notes did not cover.</p>
          </>
        ) : (
          <p className="muted">No questions recorded yet.</p>
        )}
      </section>

      <section aria-labelledby="uncovered-h">
        <h2 id="uncovered-h">Questions the notes did not cover</h2>
        <p className="muted small">Declined or doubted by the scope check, or naming a label the notes lack{listNote(report.counts.notCovered)}.</p>
        <QuestionGroups grouping={report.groups.notCovered} empty="None in this period." testId="not-covered" keepsQuestions={!!insights?.keepQuestions} />
      </section>

      <section aria-labelledby="flagged-h">
        <h2 id="flagged-h">Answers flagged: no verified citation, or a thumbs down</h2>
        <p className="muted small">Answers whose citations none verified, and answers a student gave a thumbs down{listNote(report.counts.flagged)}.</p>
        <QuestionGroups grouping={report.groups.flagged} empty="None in this period." testId="flagged" keepsQuestions={!!insights?.keepQuestions} />
      </section>
    </article>
  );
}
