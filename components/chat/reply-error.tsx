// The inline "the reply failed" notice with a Retry button (the retry uses no allowance).

import { buttonClass } from "@/components/ui/button-styles";

export function ReplyError({
  message,
  onRetry,
  disabled,
}: {
  message: string;
  onRetry: () => void;
  disabled: boolean;
}) {
  return (
    <div
      data-testid="reply-error"
      role="alert"
      className="flex flex-col gap-3 rounded-xl border border-red-200 bg-red-50 p-3 text-red-900 text-sm sm:flex-row sm:items-center sm:justify-between dark:border-red-900/70 dark:bg-red-950/50 dark:text-red-100"
    >
      <p>{message}</p>
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
