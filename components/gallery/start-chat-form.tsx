"use client";
// "Start chatting" / "Start a new conversation": posts the persona to the start action, which
// opens the new conversation. Works without JavaScript too (a plain form post).

import { useActionState } from "react";
import { type ActionState, startConversationAction } from "@/app/(chat)/actions";
import { buttonClass } from "@/components/ui/button-styles";

const INITIAL: ActionState = { error: null };

export function StartChatForm({
  personaId,
  personaName,
  label = "Start chatting",
  pendingLabel = "Starting…",
  variant = "primary",
  className = "",
  testId = "start-chat",
  arrow = true,
}: {
  personaId: string;
  personaName: string;
  label?: string;
  pendingLabel?: string;
  variant?: "primary" | "secondary";
  className?: string;
  testId?: string;
  arrow?: boolean;
}) {
  const [state, action, pending] = useActionState(startConversationAction, INITIAL);
  return (
    <form action={action} className={`flex flex-col gap-2 ${className}`}>
      <input type="hidden" name="personaId" value={personaId} />
      <button
        type="submit"
        disabled={pending}
        aria-label={label === "Start chatting" ? `Start chatting with ${personaName}` : undefined}
        data-testid={testId}
        className={buttonClass(variant, "md", "h-auto min-h-10 w-full py-2 text-center")}
      >
        {pending ? pendingLabel : label}
        {pending || !arrow ? null : (
          <span aria-hidden="true" className="transition-transform group-hover:translate-x-0.5">
            →
          </span>
        )}
      </button>
      {state.error ? (
        <p role="alert" className="text-red-700 text-sm dark:text-red-400">
          {state.error.message}
        </p>
      ) : null}
    </form>
  );
}
