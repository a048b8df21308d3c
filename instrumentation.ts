// Checks the settings once when the server starts: a missing or contradictory setting stops
// start-up with one sentence (DESIGN section 3), instead of failing every request later.

export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // `next build` loads this too; the build does not depend on the runtime settings.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { ConfigError, parseConfig } = await import("@/lib/config");
  const { AiConfigError, parseAiConfig } = await import("@/lib/ai");
  try {
    parseConfig();
    parseAiConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof AiConfigError) {
      console.error(`\nPersona Chat cannot start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
