// Checks the settings once when the server starts: a missing or contradictory setting stops
// start-up with one sentence, instead of failing every request later (lib/config.ts).

export async function register() {
  const { checkConfigAtStartup } = await import("@/lib/config");
  checkConfigAtStartup();
}
