"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { CitationPanel } from "@/components/citations/citation-panel";
import { CitationPanelContext, CourseLabelsContext, type CitationPanelApi, type CourseLabels } from "@/components/citations/context";
import { OutlineNav } from "@/components/outline/outline-nav";
import { ChatSession, type ChatSessionHandle } from "./chat-session";
import { dataPart } from "./copy-prompt";
import { ConversationList } from "./conversation-list";
import { deleteConversation, getCurrentId, listConversations, loadConversation, newConversationId, renameConversation, saveConversation, setCurrentId, titleFor } from "./storage";
import type { ChatMessage, Conversation, Outline } from "./types";
import { COURSE_COOKIE } from "./course-cookie";
import type { BannerKind } from "./banner-cookie";
import { Banner, useHiddenBanners } from "./banners";

export interface ChatAppProps {
  outline: Outline | null;
  /** Why there is no outline (no course ingested, store unreadable). */
  outlineError?: string;
  retrieval: "hybrid" | "fulltext";
  /** Why retrieval is full-text only (the embedding model's status). */
  retrievalReason?: string;
  /** An LLM is configured; without one the tutor answers with passages and a ready prompt. */
  llmConfigured: boolean;
  /** The store holds several courses: the toolbar links to the picker, and this browser remembers this one. */
  severalCourses?: boolean;
  /** The notices this browser hid (its cookie, read by the page): they stay hidden. */
  hiddenBanners?: BannerKind[];
}

const WIDE = "(min-width: 1100px)";
const NARROW = "(max-width: 899px)";

function freshConversation(course?: string, hint = false): Conversation {
  return { id: newConversationId(), title: "New conversation", course, hint, updatedAt: Date.now(), messages: [] };
}

function useMedia(query: string): boolean {
  const [matches, setMatches] = useState(false);
  useEffect(() => {
    const mq = window.matchMedia(query);
    setMatches(mq.matches);
    const on = () => setMatches(mq.matches);
    mq.addEventListener("change", on);
    return () => mq.removeEventListener("change", on);
  }, [query]);
  return matches;
}

/**
 * The chat page's interactive shell: toolbar (browse, new conversation, hint mode), banners, the
 * conversation, the outline/history drawer and the passage panel. Conversations are restored from
 * localStorage on load; `data-ready` tells tests (and nothing else) that the restore has run.
 */
export function ChatApp({ outline, outlineError, retrieval, retrievalReason, llmConfigured, severalCourses, hiddenBanners = [] }: ChatAppProps) {
  const course = outline?.course.id;
  /** course.json `insights`: the course records answered questions for its instructor (said once, in a notice). */
  const insights = outline?.course.insights;
  const courseTitle = outline?.course.title ?? "the course";
  const [ready, setReady] = useState(false);
  const [conversation, setConversation] = useState<Conversation>(() => freshConversation(course));
  const [allHistory, setHistory] = useState<Conversation[]>([]);
  /** Each course lists only its own conversations (one browser may follow several courses). */
  const history = useMemo(() => allHistory.filter((c) => !course || !c.course || c.course === course), [allHistory, course]);
  const [hint, setHint] = useState(false);
  const [busy, setBusy] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  /** The conversation deleted last, until undone or the next deletion (it is gone from storage meanwhile). */
  const [deleted, setDeleted] = useState<{ conversation: Conversation; wasOpen: boolean } | null>(null);
  /** The label the passage panel shows, and the labels it was reached from by following references. */
  const [panel, setPanel] = useState<{ label: string; back: string[]; group?: string[] } | null>(null);
  const trigger = useRef<HTMLElement | null>(null);
  const session = useRef<ChatSessionHandle>(null);
  const drawerButton = useRef<HTMLButtonElement>(null);
  const drawerClose = useRef<HTMLButtonElement>(null);
  const narrow = useMedia(NARROW);
  const { hidden, hide } = useHiddenBanners(hiddenBanners);
  const hintSwitch = useRef<HTMLInputElement>(null);
  /** Hides a notice; focus goes to the next notice, else to the hint switch (the control before them). */
  const hideBanner = (kind: BannerKind) => {
    const here = document.querySelector(`[data-banner="${kind}"]`);
    const next = here?.nextElementSibling?.querySelector<HTMLElement>("summary") ?? null;
    hide(kind);
    requestAnimationFrame(() => (next?.isConnected ? next : hintSwitch.current)?.focus({ preventScroll: true }));
  };

  useEffect(() => {
    const id = getCurrentId(course);
    const saved = id ? loadConversation(id) : undefined;
    if (saved && (!course || !saved.course || saved.course === course)) {
      setConversation(saved);
      setHint(saved.hint);
    }
    setHistory(listConversations());
    // `/` opens this course next time (app/page.tsx reads the cookie); a year, like any preference.
    if (severalCourses && course) document.cookie = `${COURSE_COOKIE}=${encodeURIComponent(course)}; path=/; max-age=31536000; samesite=lax`;
    if (window.matchMedia(WIDE).matches) setDrawerOpen(true);
    setReady(true);
  }, []);

  const hintRef = useRef(hint);
  hintRef.current = hint;
  const conversationRef = useRef(conversation);
  conversationRef.current = conversation;
  const onSave = useCallback(
    (messages: ChatMessage[]) => {
      if (!messages.length) return;
      const c = conversationRef.current;
      const next: Conversation = { ...c, messages, hint: hintRef.current, title: c.renamed ? c.title : titleFor(messages), updatedAt: Date.now(), course: c.course ?? course };
      saveConversation(next);
      setCurrentId(next.id, course);
      conversationRef.current = next;
      setConversation(next);
      // Read after the write, so the list already shows this conversation.
      setHistory(listConversations());
    },
    [course],
  );

  const switchTo = (c: Conversation) => {
    setPanel(null);
    conversationRef.current = c;
    setConversation(c);
    setHint(c.hint);
    setCurrentId(c.id, course);
    if (narrow) setDrawerOpen(false);
  };
  const newConversation = () => switchTo(freshConversation(course, hint));
  const rename = (id: string, title: string) => {
    const renamed = renameConversation(id, title);
    if (renamed && id === conversationRef.current.id) {
      // The open conversation keeps its messages as they are now; only the name changes.
      const next = { ...conversationRef.current, title: renamed.title, renamed: renamed.renamed };
      conversationRef.current = next;
      setConversation(next);
    }
    setHistory(listConversations());
  };
  const undoDelete = () => {
    if (!deleted) return;
    saveConversation(deleted.conversation);
    setHistory(listConversations());
    if (deleted.wasOpen && !conversationRef.current.messages.length) switchTo(deleted.conversation);
    setDeleted(null);
  };

  const openPanel = useCallback((label: string, from?: HTMLElement | null, group?: string[]) => {
    if (from) trigger.current = from;
    setPanel({ label, back: [], group });
  }, []);
  /** Another label of the same chip ("Exercises 1.41–1.43"): the same citation, so no "Back". */
  const switchInGroup = useCallback((label: string) => setPanel((p) => (p ? { ...p, label, back: [] } : p)), []);
  /** From inside the panel (a reference in the passage, a candidate): "Back" returns to the current label. */
  const followInPanel = useCallback((label: string) => {
    setPanel((p) => (p && p.label !== label ? { label, back: [...p.back, p.label].slice(-20) } : { label, back: p?.back ?? [] }));
  }, []);
  const panelBack = useCallback(() => {
    setPanel((p) => (p && p.back.length ? { label: p.back[p.back.length - 1], back: p.back.slice(0, -1) } : p));
  }, []);
  const closePanel = useCallback(() => {
    setPanel(null);
    const t = trigger.current;
    // Back to the chip that opened the panel (rendered again by then).
    requestAnimationFrame(() => {
      if (t?.isConnected) t.focus();
    });
  }, []);
  const panelApi = useMemo<CitationPanelApi>(() => ({ open: openPanel, current: panel?.label ?? null }), [openPanel, panel]);
  const courseLabels = useMemo<CourseLabels>(() => ({ course, labels: outline?.labels ? new Set(outline.labels) : null }), [course, outline]);

  const ask = (question: string) => {
    if (narrow) setDrawerOpen(false);
    session.current?.ask(question);
  };

  const notices = new Set(conversation.messages.flatMap((m) => dataPart(m, "notice").map((n) => n.kind)));
  const fulltext = retrieval === "fulltext" || notices.has("fulltext-only");
  const noLlm = !llmConfigured || notices.has("no-llm");
  const suggestions = useMemo(() => suggestionsFor(outline), [outline]);
  const overlayOpen = narrow && (!!panel || drawerOpen);

  // On a narrow screen the drawer covers the chat (which goes inert): focus moves into it when it opens,
  // and back to its toggle when Escape or ✕ closes it — also when focus had fallen to the page body.
  const closeDrawer = useCallback(() => {
    setDrawerOpen(false);
    requestAnimationFrame(() => drawerButton.current?.focus());
  }, []);
  useEffect(() => {
    if (!narrow || !drawerOpen) return;
    requestAnimationFrame(() => drawerClose.current?.focus());
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !panel) closeDrawer();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [narrow, drawerOpen, panel, closeDrawer]);

  return (
    <CitationPanelContext.Provider value={panelApi}>
      <CourseLabelsContext.Provider value={courseLabels}>
      <div
        className="chat-app"
        data-testid="chat-app"
        data-ready={ready ? "true" : "false"}
        data-hint={hint ? "on" : "off"}
        data-drawer={drawerOpen ? "open" : "closed"}
        data-panel={panel ? "open" : "closed"}
      >
        <div className="chat-toolbar" inert={overlayOpen || undefined}>
          <button
            ref={drawerButton}
            type="button"
            className="secondary"
            aria-expanded={drawerOpen}
            aria-controls="chat-drawer"
            onClick={() => setDrawerOpen((o) => !o)}
            data-testid="toggle-outline"
          >
            <span aria-hidden="true">☰ </span>Outline<span className="wide-only"> &amp; history</span>
          </button>
          <h1 className="chat-title">{outline ? outline.course.title : "Course tutor"}</h1>
          {severalCourses && (
            <a href="/c" className="course-switch" data-testid="course-switch">
              Courses
            </a>
          )}
          <label className="switch" data-testid="hint-switch-label">
            <input ref={hintSwitch} type="checkbox" role="switch" checked={hint} onChange={(e) => setHint(e.target.checked)} data-testid="hint-switch" aria-describedby="hint-help" />
            <span>Hint mode</span>
          </label>
          <span id="hint-help" className="visually-hidden">
            In hint mode the tutor guides you with questions and hints instead of full solutions.
          </span>
          <button type="button" className="secondary" onClick={newConversation} disabled={busy} data-testid="new-conversation">
            New<span className="wide-only"> conversation</span>
          </button>
        </div>

        <div className="banners" inert={overlayOpen || undefined}>
          {noLlm && !hidden.has("no-llm") && (
            <Banner kind="no-llm" tone="info" onHide={hideBanner} gist={<><strong>No language model is configured:</strong> answers quote the notes.</>}>
              The tutor answers with the most relevant passages of the notes, quoted with their labels, and a ready prompt you can
              copy into another chatbot.
            </Banner>
          )}
          {fulltext && !hidden.has("fulltext") && (
            <Banner kind="fulltext" tone="warn" onHide={hideBanner} gist={<><strong>Search runs on full text only:</strong> name a label if it misses.</>}>
              Passages are found by their words alone, so rephrase or name a label (&ldquo;Exercise 1.41&rdquo;) if the answer misses
              something.
              {retrievalReason && <> The course&apos;s embedding model is not available: {retrievalReason}</>}
            </Banner>
          )}
          {hint && !hidden.has("hint") && (
            <Banner kind="hint" tone="hint" onHide={hideBanner} gist={<><strong>Hint mode is on:</strong> hints, not full solutions.</>}>
              The tutor guides you with questions and hints, not full solutions. Turn the switch off for a full answer.
            </Banner>
          )}
          {insights && !hidden.has("insights") && (
            <Banner kind="insights" tone="info" onHide={hideBanner} gist={<><strong>Your instructor sees what the class asks,</strong> not who asks it.</>}>
              For each answer this course records the time, the labels your question named, the passages the answer used and
              cited, whether its citations checked out, whether hint mode was on, and your 👍/👎 with any comment.{" "}
              {insights.keepQuestions ? "The text of your question is kept too." : "The text of your question is not kept."} Nothing
              identifies you: no account, no address, no conversation. Records are deleted after {insights.retentionDays} days. Your
              conversations themselves stay in this browser.
            </Banner>
          )}
          {outlineError && (
            <div className="banner banner-error" role="alert" data-testid="banner-store">
              {outlineError}
            </div>
          )}
        </div>

        <div className="chat-body">
          <aside id="chat-drawer" className="chat-drawer" hidden={!drawerOpen} aria-label="Outline and conversations" data-testid="drawer">
            {narrow && (
              <button ref={drawerClose} type="button" className="icon-button drawer-close" onClick={closeDrawer} aria-label="Close outline">
                ✕
              </button>
            )}
            <ConversationList
              history={history}
              currentId={conversation.id}
              busy={busy}
              deletedTitle={deleted?.conversation.title}
              onUndoDelete={undoDelete}
              onOpen={switchTo}
              onDelete={(c) => {
                deleteConversation(c.id);
                setHistory(listConversations());
                setDeleted({ conversation: c, wasOpen: c.id === conversation.id });
                if (c.id === conversation.id) newConversation();
              }}
              onRename={rename}
            />
            {outline && <OutlineNav outline={outline} hint={hint} busy={busy} onAsk={ask} onRead={(l, t) => openPanel(l, t)} />}
          </aside>

          <div className="chat-main" inert={overlayOpen || undefined}>
            <ChatSession
              key={conversation.id}
              ref={session}
              conversation={conversation}
              course={course}
              courseTitle={courseTitle}
              insights={!!insights}
              hint={hint}
              onSave={onSave}
              onBusyChange={setBusy}
              suggestions={suggestions}
              escapeStops={!overlayOpen}
              disabled={outline ? undefined : "The tutor needs an ingested course before it can answer."}
            />
          </div>

          {panel && (
            <CitationPanel
              label={panel.label}
              course={course}
              onClose={closePanel}
              onOpen={followInPanel}
              backTo={panel.back[panel.back.length - 1]}
              onBack={panelBack}
              group={panel.group}
              onSwitch={switchInGroup}
            />
          )}
        </div>
      </div>
      </CourseLabelsContext.Provider>
    </CitationPanelContext.Provider>
  );
}

/** Starter questions drawn from the course itself. */
function suggestionsFor(outline: Outline | null): string[] {
  if (!outline) return [];
  const all = outline.chapters.flatMap((c) => [...c.items, ...c.sections.flatMap((s) => s.items)]);
  const exercise = all.find((i) => i.kind === "exercise");
  const definition = all.find((i) => i.kind === "definition");
  const section = outline.chapters[0]?.sections[0];
  return [
    exercise && `How do I approach ${exercise.label}?`,
    definition && `Explain ${definition.label}${definition.title ? ` (${definition.title})` : ""} with an example.`,
    section && `What are the main ideas of ${section.label}?`,
  ].filter((s): s is string => !!s);
}
