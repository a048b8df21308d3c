// How much history the OpenAI-compatible engine sends: newest turns first, within the budget.

import { describe, expect, it } from "vitest";
import { estimateTokens, fitHistoryToBudget } from "../../lib/ai/context-budget";
import type { ChatTurn } from "../../lib/ai/reply-request";

const turn = (role: ChatTurn["role"], tokens: number, tag: string = role): ChatTurn => ({
  role,
  // Exactly `tokens` tokens under the chars/4 estimate.
  content: tag[0]?.repeat(tokens * 4) ?? "",
});

describe("estimateTokens", () => {
  it("counts a token per four characters, rounding up", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcd")).toBe(1);
    expect(estimateTokens("abcde")).toBe(2);
    expect(estimateTokens("x".repeat(400))).toBe(100);
  });
});

describe("fitHistoryToBudget", () => {
  it("keeps the whole history when it fits", () => {
    const history = [turn("user", 10), turn("assistant", 10), turn("user", 10)];
    expect(fitHistoryToBudget(history, 30)).toEqual(history);
  });

  it("drops the oldest turns first and keeps the rest in order", () => {
    const history = [
      turn("user", 10, "a"),
      turn("assistant", 10, "b"),
      turn("user", 10, "c"),
      turn("assistant", 10, "d"),
      turn("user", 10, "e"),
    ];
    expect(fitHistoryToBudget(history, 35)).toEqual(history.slice(2));
  });

  it("counts the reserved tokens (the system prompt) against the budget", () => {
    const history = [turn("user", 10), turn("assistant", 10), turn("user", 10)];
    expect(fitHistoryToBudget(history, 30, { reservedTokens: 15 })).toEqual(history.slice(2));
  });

  it("always keeps the last user message, even when it alone is over budget", () => {
    const history = [turn("user", 5), turn("assistant", 5), turn("user", 500)];
    expect(fitHistoryToBudget(history, 100)).toEqual([history[2]]);
    expect(fitHistoryToBudget(history, 0, { reservedTokens: 50 })).toEqual([history[2]]);
  });

  it("does not skip over a large turn to squeeze in older small ones", () => {
    const history = [
      turn("user", 1, "a"),
      turn("assistant", 1, "b"),
      turn("user", 80, "c"),
      turn("assistant", 5, "d"),
      turn("user", 5, "e"),
    ];
    expect(fitHistoryToBudget(history, 50)).toEqual(history.slice(3));
  });

  it("returns an empty list for an empty history and does not modify its input", () => {
    expect(fitHistoryToBudget([], 100)).toEqual([]);
    const history = [turn("user", 10), turn("assistant", 10), turn("user", 10)];
    const copy = structuredClone(history);
    fitHistoryToBudget(history, 15);
    expect(history).toEqual(copy);
  });
});
