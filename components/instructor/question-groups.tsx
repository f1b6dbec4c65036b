import type { Grouping } from "@/lib/instructor/groups";

/** Groups of similar questions, largest first: the count, the newest wording, a few others, the labels named. */
export function QuestionGroups({ grouping, empty, testId, keepsQuestions }: { grouping: Grouping; empty: string; testId: string; keepsQuestions: boolean }) {
  const { groups, withoutText } = grouping;
  return (
    <div data-testid={testId}>
      {groups.length === 0 && withoutText === 0 ? <p className="muted">{empty}</p> : null}
      {groups.length > 0 ? (
        <ol className="question-groups">
          {groups.slice(0, 20).map((g, i) => (
            <li key={i} data-count={g.count}>
              <p>
                <strong>{g.count} ×</strong> “{g.example}”
              </p>
              {g.others.length ? (
                <ul className="muted small">
                  {g.others.map((o) => (
                    <li key={o}>also: “{o}”</li>
                  ))}
                </ul>
              ) : null}
              {g.labels.length ? <p className="muted small">Named: {g.labels.join(", ")}</p> : null}
            </li>
          ))}
        </ol>
      ) : null}
      {groups.length > 20 ? <p className="muted small">…and {groups.length - 20} smaller groups (all are in the CSV).</p> : null}
      {withoutText > 0 ? (
        <p className="muted small">
          {withoutText} {withoutText === 1 ? "question" : "questions"} without text to group
          {keepsQuestions ? "" : " (this course does not keep question texts: set insights.keepQuestions in course.json to see them)"}.
        </p>
      ) : null}
      {groups.length > 0 ? <p className="muted small">Grouped by {grouping.method === "terms" ? "shared terms (no embedding model on this server)" : grouping.method}.</p> : null}
    </div>
  );
}
