// Start-up checks, once per server process: a missing or contradictory setting stops start-up
// with one sentence (lib/config.ts), and so does an embedded database folder that another process
// holds (lib/db/startup.ts), instead of failing every request later.

export async function register() {
  const { checkConfigAtStartup } = await import("@/lib/config");
  if (!checkConfigAtStartup()) return;
  const { openDatabaseAtStartup } = await import("@/lib/db/startup");
  await openDatabaseAtStartup();
}
