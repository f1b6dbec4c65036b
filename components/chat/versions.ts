import type { AnswerVersion, ChatMessage } from "./types";

/**
 * Versions of a regenerated answer (ChatGPT's ‹ 1/2 ›): pure functions over messages, so the session, the
 * storage and the tests agree. A message's parts are always its shown version's.
 */

function versionOf(m: ChatMessage): AnswerVersion {
  return m.metadata?.stopped ? { parts: m.parts, stopped: true } : { parts: m.parts };
}

/** The settled new answer, carrying the versions of the one it replaced and itself as the newest, shown. */
export function regenerated(earlier: ChatMessage, next: ChatMessage): ChatMessage {
  const versions = [...(earlier.metadata?.versions ?? [versionOf(earlier)]), versionOf(next)];
  return { ...next, metadata: { ...next.metadata, versions, shown: versions.length - 1 } };
}

/** The answer showing version `index` (out of range: unchanged). */
export function showVersion(m: ChatMessage, index: number): ChatMessage {
  const v = m.metadata?.versions?.[index];
  if (!v) return m;
  const { stopped: _stopped, ...meta } = m.metadata ?? {};
  return { ...m, parts: v.parts, metadata: { ...meta, ...(v.stopped ? { stopped: true } : {}), shown: index } };
}

/** The message as sent to the tutor: without the other versions (they would only make the request bigger). */
export function withoutVersions(m: ChatMessage): ChatMessage {
  if (!m.metadata || (m.metadata.versions === undefined && m.metadata.shown === undefined)) return m;
  const { versions: _versions, shown: _shown, ...meta } = m.metadata;
  return { ...m, metadata: meta };
}
