"use client";
// The live voice conversation, in the composer's place while it runs: connecting, then who is
// speaking (the persona or the visitor, each with a level), the last words said, and End; then
// "Saving the transcript" until it is in the conversation.

import { useEffect, useState } from "react";
import { PersonaAvatar } from "@/components/persona-avatar";
import { buttonClass } from "@/components/ui/button-styles";
import type { LiveSession } from "@/hooks/use-voice-live-session";
import { MicIcon } from "./mic-button";
import { formatElapsed } from "./recording-panel";

function useElapsed(since: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [since]);
  return since === null ? 0 : Math.max(0, now - since);
}

function Spinner() {
  return (
    <span
      aria-hidden="true"
      className="size-4 shrink-0 animate-spin rounded-full border-2 border-current border-t-transparent"
    />
  );
}

function Speaker({
  label,
  active,
  level,
  children,
}: {
  label: string;
  active: boolean;
  level: number;
  children: React.ReactNode;
}) {
  // The ring grows with the voice of whoever is talking.
  const ring = active ? 2 + Math.round(Math.min(1, level * 1.5) * 6) : 0;
  return (
    <div
      data-testid="live-speaker"
      data-active={active}
      className="flex flex-col items-center gap-1"
    >
      <span
        className={`flex rounded-full transition-[box-shadow] duration-150 ${
          active ? "shadow-[0_0_0_var(--ring)_rgb(16_185_129/0.45)]" : ""
        }`}
        style={{ "--ring": `${ring}px` } as React.CSSProperties}
      >
        {children}
      </span>
      <span
        className={`text-xs ${
          active
            ? "font-semibold text-emerald-700 dark:text-emerald-300"
            : "text-zinc-500 dark:text-zinc-400"
        }`}
      >
        {label}
      </span>
    </div>
  );
}

export function LiveSessionPanel({
  live,
  personaName,
  avatarUrl,
}: {
  live: LiveSession;
  personaName: string;
  avatarUrl: string | null;
}) {
  const elapsed = useElapsed(live.connectedAt);
  const personaSpeaking = live.status === "live" && live.mode === "speaking";
  const listening = live.status === "live" && live.mode === "listening";
  // The last two turns: what the visitor said and the answer, as live captions.
  const recent = live.lines.slice(-2);

  let state: string;
  if (live.status === "starting") state = `Connecting to ${personaName}…`;
  else if (live.status === "saving") state = "Saving the transcript to this conversation…";
  else if (personaSpeaking) state = `${personaName} is speaking`;
  else state = "Listening to you…";

  return (
    <section
      aria-labelledby="live-session-title"
      data-testid="live-session"
      data-status={live.status}
      data-mode={live.mode}
      className="rounded-2xl border border-emerald-300 bg-emerald-50/70 p-3 shadow-sm dark:border-emerald-900 dark:bg-emerald-950/30"
    >
      <div className="flex items-center gap-2">
        <span aria-hidden="true" className="relative flex size-2.5 shrink-0">
          {live.status === "live" ? (
            <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-500 opacity-60 motion-reduce:animate-none" />
          ) : null}
          <span className="relative inline-flex size-2.5 rounded-full bg-emerald-600" />
        </span>
        <h2 id="live-session-title" className="min-w-0 flex-1 truncate font-semibold text-sm">
          Live with {personaName}
        </h2>
        {live.status === "live" ? (
          <span
            data-testid="live-elapsed"
            className="font-medium text-sm text-zinc-700 tabular-nums dark:text-zinc-300"
          >
            <span className="sr-only">Elapsed: </span>
            {formatElapsed(elapsed)}
          </span>
        ) : null}
      </div>

      <div className="mt-3 flex items-center gap-4">
        <div className="flex shrink-0 items-end gap-3">
          <Speaker label={personaName} active={personaSpeaking} level={live.outputLevel}>
            <PersonaAvatar name={personaName} avatarUrl={avatarUrl} size="sm" />
          </Speaker>
          <Speaker label="You" active={listening && live.inputLevel > 0.05} level={live.inputLevel}>
            <span className="flex size-8 items-center justify-center rounded-full bg-brand-600 text-white dark:bg-brand-500">
              <MicIcon className="size-4" />
            </span>
          </Speaker>
        </div>
        <div className="min-w-0 flex-1">
          <p
            role="status"
            data-testid="live-state"
            className="flex items-center gap-2 font-medium text-sm text-zinc-900 dark:text-zinc-100"
          >
            {live.status === "starting" || live.status === "saving" ? <Spinner /> : null}
            <span className="min-w-0">{state}</span>
          </p>
          {recent.length > 0 ? (
            <ul data-testid="live-captions" aria-label="Said so far" className="mt-1 space-y-0.5">
              {recent.map((line, i) => (
                <li
                  // biome-ignore lint/suspicious/noArrayIndexKey: the last lines, replaced as a whole.
                  key={i}
                  data-testid="live-caption"
                  data-role={line.role}
                  className="line-clamp-2 text-sm text-zinc-600 dark:text-zinc-400"
                >
                  <span className="font-medium text-zinc-800 dark:text-zinc-200">
                    {line.role === "agent" ? personaName : "You"}:
                  </span>{" "}
                  {line.text}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </div>

      {live.status === "saving" ? null : (
        <div className="mt-3 flex justify-end">
          <button
            type="button"
            onClick={() => void live.end()}
            data-testid="live-end"
            className={buttonClass("danger", "sm")}
          >
            {live.status === "starting" ? "Cancel" : "End live conversation"}
          </button>
        </div>
      )}
    </section>
  );
}
