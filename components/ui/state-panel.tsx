// A friendly, centred message for empty and failed states, with an optional way forward.

import type { ReactNode } from "react";

export function StatePanel({
  title,
  children,
  action,
  tone = "neutral",
  testId,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  tone?: "neutral" | "error";
  testId?: string;
}) {
  return (
    <section
      data-testid={testId}
      role={tone === "error" ? "alert" : undefined}
      className={`mx-auto flex max-w-md flex-col items-center gap-3 rounded-2xl border px-6 py-10 text-center ${
        tone === "error"
          ? "border-red-200 bg-red-50 dark:border-red-900/60 dark:bg-red-950/40"
          : "border-zinc-200 border-dashed bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/50"
      }`}
    >
      <h2 className="font-semibold text-lg">{title}</h2>
      {children ? <div className="text-sm text-zinc-600 dark:text-zinc-400">{children}</div> : null}
      {action ? <div className="mt-2 flex flex-wrap justify-center gap-2">{action}</div> : null}
    </section>
  );
}
