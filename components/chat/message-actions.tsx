// The row of actions under a message: Copy on every one. Actions that only some messages have
// (Regenerate on the newest reply) are passed in as children and sit after it.

import { CopyButton } from "./copy-button";

export function MessageActions({
  text,
  align,
  copyLabel,
  children,
}: {
  text: string;
  align: "start" | "end";
  copyLabel: string;
  children?: React.ReactNode;
}) {
  return (
    <div
      data-testid="message-actions"
      className={`mt-1 flex items-center gap-1 ${align === "end" ? "justify-end" : "justify-start"}`}
    >
      <CopyButton text={text} label={copyLabel} />
      {children}
    </div>
  );
}
