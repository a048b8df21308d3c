// The inline "the reply failed" notice with a Retry button (the retry uses no allowance). It
// stands for the conversation's `error` status, so it shows after a reload too; the server's own
// sentence for the failure is added when this page saw it happen.

import { buttonClass } from "@/components/ui/button-styles";

export function ReplyError({
  personaName,
  reason,
  onRetry,
  disabled,
}: {
  personaName: string;
  /** The server's message for the failed reply, if it failed while this page was open. */
  reason: string | null;
  onRetry: () => void;
  disabled: boolean;
}) {
  return (
    <div
      data-testid="reply-error"
      role="alert"
      className="flex flex-col gap-3 rounded-xl border border-red-200 bg-red-50 p-3 text-red-900 text-sm sm:flex-row sm:items-center sm:justify-between dark:border-red-900/70 dark:bg-red-950/50 dark:text-red-100"
    >
      <div className="flex flex-col gap-1">
        <p>
          {personaName} could not finish that reply. Your message is saved; retrying does not use
          another free message.
        </p>
        {reason ? (
          <p data-testid="reply-error-reason" className="text-red-800 text-xs dark:text-red-200">
            {reason}
          </p>
        ) : null}
      </div>
      <button
        type="button"
        onClick={onRetry}
        disabled={disabled}
        data-testid="retry-button"
        className={buttonClass("secondary", "sm", "shrink-0 self-start sm:self-auto")}
      >
        <span aria-hidden="true">↻</span> Retry
      </button>
    </div>
  );
}
