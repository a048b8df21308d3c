"use client";
// The voice row above the composer: the "Voice replies" switch, and "Talk live" where live
// conversations are configured (for guests it opens a sign-up call to action instead). Below it,
// what went wrong with a recording or a live session, and that call to action.

import Link from "next/link";
import { buttonClass } from "@/components/ui/button-styles";
import type { Recorder } from "@/hooks/use-recorder";
import type { LiveSession } from "@/hooks/use-voice-live-session";
import { VoiceRepliesSwitch } from "./voice-replies-switch";

export function TalkLiveButton({
  onClick,
  disabled,
  personaName,
}: {
  onClick: () => void;
  disabled: boolean;
  personaName: string;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      aria-label={`Talk live with ${personaName}`}
      data-testid="talk-live"
      className={buttonClass("secondary", "sm", "gap-1.5 px-2.5")}
    >
      <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-4">
        <path d="M3 8.5a1 1 0 0 1 2 0v3a1 1 0 1 1-2 0v-3ZM7 5.5a1 1 0 0 1 2 0v9a1 1 0 1 1-2 0v-9ZM11 3.5a1 1 0 1 1 2 0v13a1 1 0 1 1-2 0v-13ZM15 7a1 1 0 1 1 2 0v6a1 1 0 1 1-2 0V7Z" />
      </svg>
      Talk live
    </button>
  );
}

export function LiveSignupCta({
  conversationId,
  personaName,
  onClose,
}: {
  conversationId: string;
  personaName: string;
  onClose: () => void;
}) {
  const next = `/c/${conversationId}`;
  return (
    <section
      data-testid="live-signup-cta"
      aria-labelledby="live-signup-title"
      className="relative rounded-2xl border border-brand-200 bg-brand-50 p-4 pr-10 dark:border-brand-800 dark:bg-brand-950/60"
    >
      <h2 id="live-signup-title" className="font-semibold text-sm">
        Talk live with {personaName}
      </h2>
      <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">
        Live voice conversations are for members. Create a free account to talk with {personaName}{" "}
        out loud; this conversation comes with you. As a guest you can still send voice messages and
        listen to replies.
      </p>
      <div className="mt-3 flex flex-col gap-2 sm:flex-row">
        <Link href={`/signup?next=${next}`} className={buttonClass("primary", "sm")}>
          Sign up to talk live
        </Link>
        <Link href={`/login?next=${next}`} className={buttonClass("secondary", "sm")}>
          I already have an account
        </Link>
      </div>
      <button
        type="button"
        onClick={onClose}
        aria-label="Close"
        className="absolute top-2 right-2 inline-flex size-8 items-center justify-center rounded-lg text-zinc-500 outline-none hover:bg-brand-100 hover:text-zinc-900 focus-visible:ring-2 focus-visible:ring-brand-500 dark:hover:bg-brand-900 dark:hover:text-white"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-4">
          <path d="M5.3 5.3a1 1 0 0 1 1.4 0L10 8.6l3.3-3.3a1 1 0 1 1 1.4 1.4L11.4 10l3.3 3.3a1 1 0 0 1-1.4 1.4L10 11.4l-3.3 3.3a1 1 0 0 1-1.4-1.4L8.6 10 5.3 6.7a1 1 0 0 1 0-1.4Z" />
        </svg>
      </button>
    </section>
  );
}

/** A recording or live-session failure, with what can be done about it. */
export function VoiceProblem({
  message,
  action,
  onDismiss,
}: {
  message: string;
  action?: { label: string; onClick: () => void };
  onDismiss: () => void;
}) {
  return (
    <div
      role="alert"
      data-testid="voice-problem"
      className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-lg bg-amber-50 px-3 py-2 text-amber-900 text-sm dark:bg-amber-950/60 dark:text-amber-100"
    >
      <p className="min-w-0 flex-1">{message}</p>
      <div className="flex gap-1">
        {action ? (
          <button
            type="button"
            onClick={action.onClick}
            className="rounded-md px-2 py-1 font-medium underline-offset-2 outline-none hover:underline focus-visible:ring-2 focus-visible:ring-brand-500"
          >
            {action.label}
          </button>
        ) : null}
        <button
          type="button"
          onClick={onDismiss}
          className="rounded-md px-2 py-1 font-medium underline-offset-2 outline-none hover:underline focus-visible:ring-2 focus-visible:ring-brand-500"
        >
          Dismiss
        </button>
      </div>
    </div>
  );
}

export type VoiceToolbarProps = {
  conversationId: string;
  personaName: string;
  voiceReplies: boolean;
  onVoiceRepliesChange: (on: boolean) => void;
  /** Live conversations are configured on this deployment. */
  liveAvailable: boolean;
  signedIn: boolean;
  live: LiveSession;
  /** Show the guest's call to action (set when a guest presses Talk live). */
  showSignupCta: boolean;
  onShowSignupCta: (show: boolean) => void;
  recorder: Recorder | null;
  /** A reply is streaming or a recording is on: a live session cannot start now. */
  busy: boolean;
};

export function VoiceToolbar(props: VoiceToolbarProps) {
  const { live, recorder, personaName } = props;
  const inSession =
    live.status === "starting" || live.status === "live" || live.status === "saving";

  function talkLive() {
    if (!props.signedIn) {
      props.onShowSignupCta(true);
      return;
    }
    void live.start();
  }

  return (
    <div className="flex flex-col gap-2">
      {recorder?.status === "requesting" ? (
        <p
          role="status"
          data-testid="voice-permission-hint"
          className="rounded-lg bg-zinc-100 px-3 py-2 text-sm text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
        >
          Allow the microphone when your browser asks, to record a voice message.
        </p>
      ) : null}
      {recorder?.error ? (
        <VoiceProblem message={recorder.error} onDismiss={recorder.dismissError} />
      ) : null}
      {live.status === "error" && live.error ? (
        <VoiceProblem
          message={live.error}
          action={
            live.unsaved
              ? { label: "Save the transcript again", onClick: () => void live.saveAgain() }
              : { label: "Try again", onClick: () => void live.start() }
          }
          onDismiss={live.dismiss}
        />
      ) : null}
      {props.showSignupCta || live.status === "signin" ? (
        <LiveSignupCta
          conversationId={props.conversationId}
          personaName={personaName}
          onClose={() => {
            props.onShowSignupCta(false);
            if (live.status === "signin") live.dismiss();
          }}
        />
      ) : null}
      <div className="flex min-h-8 items-center justify-between gap-2">
        <VoiceRepliesSwitch
          checked={props.voiceReplies}
          onChange={props.onVoiceRepliesChange}
          personaName={personaName}
        />
        {props.liveAvailable ? (
          <TalkLiveButton
            onClick={talkLive}
            disabled={inSession || props.busy}
            personaName={personaName}
          />
        ) : null}
      </div>
    </div>
  );
}
