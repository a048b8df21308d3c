// Chooses how much conversation history fits in the model's prompt budget.

/** A rough, provider-independent token estimate: about four characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export type FitHistoryOptions = {
  /** Tokens already spent elsewhere in the prompt, typically the persona's system prompt. */
  reservedTokens?: number;
};

/**
 * Keeps the newest turns whose estimated size fits `budgetTokens` (minus `reservedTokens`).
 * The kept turns are a contiguous suffix of the history, in their original order: skipping a
 * large middle turn to squeeze in older ones would hand the model a conversation with a hole in it.
 * The last turn (the user's new message) is always kept, even when it alone exceeds the budget,
 * because a reply without the question is worse than a prompt that runs over the estimate.
 */
export function fitHistoryToBudget<Turn extends { content: string }>(
  history: readonly Turn[],
  budgetTokens: number,
  options: FitHistoryOptions = {},
): Turn[] {
  const available = budgetTokens - (options.reservedTokens ?? 0);
  let used = 0;
  let firstKept = history.length;
  for (let i = history.length - 1; i >= 0; i--) {
    const cost = estimateTokens(history[i]?.content ?? "");
    const isNewestTurn = i === history.length - 1;
    if (!isNewestTurn && used + cost > available) break;
    used += cost;
    firstKept = i;
  }
  return history.slice(firstKept);
}
