"use client";

import { useEffect, useRef, useState } from "react";
import { InlineMath, plainTitle } from "@/components/markdown/inline-math";
import { searchConversations } from "./storage";
import type { Conversation } from "./types";

const DAY_MS = 86_400_000;

/** "Today, 14:03", "Yesterday", "28 Nov", "3 Mar 2025": when the conversation was last used. */
export function formatWhen(at: number, now = Date.now()): string {
  const d = new Date(at);
  const startOfToday = new Date(now);
  startOfToday.setHours(0, 0, 0, 0);
  const time = d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  if (at >= startOfToday.getTime()) return `Today, ${time}`;
  if (at >= startOfToday.getTime() - DAY_MS) return `Yesterday, ${time}`;
  const sameYear = d.getFullYear() === startOfToday.getFullYear();
  return d.toLocaleDateString("en-GB", { day: "numeric", month: "short", ...(sameYear ? {} : { year: "numeric" }) });
}

/**
 * The drawer's list of conversations: search (title and messages), each title with its math rendered and
 * its date, open, rename (inline, Enter saves, Escape cancels) and delete (with undo, kept by the caller).
 */
export function ConversationList({
  history,
  currentId,
  busy,
  deletedTitle,
  onUndoDelete,
  onOpen,
  onDelete,
  onRename,
}: {
  history: Conversation[];
  currentId: string;
  /** An answer is streaming: switching waits. */
  busy: boolean;
  /** The title of the conversation deleted last, while it can be undone. */
  deletedTitle?: string;
  onUndoDelete: () => void;
  onOpen: (c: Conversation) => void;
  onDelete: (c: Conversation) => void;
  onRename: (id: string, title: string) => void;
}) {
  const [query, setQuery] = useState("");
  const [editing, setEditing] = useState<string | null>(null);
  /** Rename buttons by conversation, to give focus back after a rename ended by key. */
  const renameButtons = useRef(new Map<string, HTMLButtonElement>());
  const shown = searchConversations(history, query);
  return (
    <nav aria-label="Conversations" className="history">
      <h2 className="drawer-title">Conversations</h2>
      {deletedTitle !== undefined && (
        <p className="small deleted-note" role="status" data-testid="conversation-deleted">
          Deleted “{plainTitle(deletedTitle)}”.{" "}
          <button type="button" className="link-button" onClick={onUndoDelete} data-testid="undo-delete">
            Undo
          </button>
        </p>
      )}
      {history.length === 0 ? (
        <p className="muted small">Your conversations are kept in this browser.</p>
      ) : (
        <>
          <input
            type="search"
            className="history-search"
            placeholder="Search conversations"
            aria-label="Search conversations"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            data-testid="history-search"
          />
          {shown.length === 0 ? (
            <p className="muted small" role="status" data-testid="history-no-match">
              No conversation mentions “{query.trim()}”.
            </p>
          ) : (
            <ul className="history-list" data-testid="history">
              {shown.map((c) =>
                editing === c.id ? (
                  <li key={c.id} className="history-row">
                    <RenameField
                      conversation={c}
                      onDone={(title, byKey) => {
                        setEditing(null);
                        if (title !== undefined) onRename(c.id, title);
                        // Enter or Escape: focus returns to where the rename started (a click elsewhere keeps its own focus).
                        if (byKey) requestAnimationFrame(() => renameButtons.current.get(c.id)?.focus());
                      }}
                    />
                  </li>
                ) : (
                  <li key={c.id} className="history-row" data-testid="history-row">
                    <button
                      type="button"
                      className="history-item"
                      aria-current={c.id === currentId ? "true" : undefined}
                      disabled={busy}
                      onClick={() => onOpen(c)}
                      aria-describedby={`history-date-${c.id}`}
                      data-testid="history-item"
                    >
                      <span className="history-title" data-testid="history-title">
                        <InlineMath text={c.title} />
                      </span>
                      {/* The date describes the button rather than naming it: the name is the title alone. */}
                      <time
                        id={`history-date-${c.id}`}
                        className="history-date muted"
                        dateTime={new Date(c.updatedAt).toISOString()}
                        aria-hidden="true"
                        data-testid="history-date"
                      >
                        {formatWhen(c.updatedAt)}
                      </time>
                    </button>
                    <button
                      type="button"
                      className="icon-button small"
                      aria-label={`Rename conversation: ${plainTitle(c.title)}`}
                      title="Rename"
                      onClick={() => setEditing(c.id)}
                      ref={(el) => {
                        if (el) renameButtons.current.set(c.id, el);
                        else renameButtons.current.delete(c.id);
                      }}
                      data-testid="history-rename"
                    >
                      <span aria-hidden="true">✎</span>
                    </button>
                    <button
                      type="button"
                      className="icon-button small"
                      aria-label={`Delete conversation: ${plainTitle(c.title)}`}
                      title="Delete"
                      disabled={busy}
                      onClick={() => onDelete(c)}
                    >
                      <span aria-hidden="true">✕</span>
                    </button>
                  </li>
                ),
              )}
            </ul>
          )}
        </>
      )}
    </nav>
  );
}

/** The inline rename box: Enter or leaving it saves, Escape cancels (and stops there: no drawer closes). */
function RenameField({ conversation, onDone }: { conversation: Conversation; onDone: (title: string | undefined, byKey: boolean) => void }) {
  const [value, setValue] = useState(conversation.title);
  const input = useRef<HTMLInputElement>(null);
  const done = useRef(false);
  const finish = (title: string | undefined, byKey: boolean) => {
    if (done.current) return;
    done.current = true;
    onDone(title, byKey);
  };
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  return (
    <form
      className="history-rename"
      onSubmit={(e) => {
        e.preventDefault();
        finish(value, true);
      }}
    >
      <input
        ref={input}
        value={value}
        maxLength={200}
        aria-label="Conversation name (empty: the first question)"
        onChange={(e) => setValue(e.target.value)}
        onBlur={() => finish(value, false)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            e.stopPropagation();
            finish(undefined, true);
          }
        }}
        data-testid="history-rename-input"
      />
    </form>
  );
}
