// The row of actions under a message: Copy on every one that has text. Actions that only some
// messages have (Listen, Regenerate on the newest reply) are passed in as children and sit after
// it; a note (the reply was stopped) comes first.

import { CopyButton } from "./copy-button";

export function MessageActions({
  text,
  align,
  copyLabel,
  note,
  children,
}: {
  text: string;
  align: "start" | "end";
  copyLabel: string;
  note?: React.ReactNode;
  children?: React.ReactNode;
}) {
  return (
    <div
      data-testid="message-actions"
      className={`mt-1 flex items-center gap-1 ${align === "end" ? "justify-end" : "justify-start"}`}
    >
      {note}
      {text === "" ? null : <CopyButton text={text} label={copyLabel} />}
      {children}
    </div>
  );
}
