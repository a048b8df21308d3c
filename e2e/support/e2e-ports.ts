// The ports of the e2e servers, from E2E_PORT (so builds can run side by side): the app on the
// built-in engine, the same build answering through a stand-in model, and that stand-in.

const base = Number(process.env.E2E_PORT ?? 3100);

export const E2E_PORTS = {
  /** The production build on the built-in persona engine. */
  app: base,
  /** The same build with AI_BASE_URL pointing at the Markdown stand-in model. */
  markdownApp: base + 1,
  /** The stand-in OpenAI-compatible model (e2e/support/markdown-model-stand-in.ts). */
  markdownModel: base + 2,
} as const;
