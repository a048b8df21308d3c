import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Vitest 5's reporter calls Map.groupBy, which Node 20 lacks (Node 21+); without this a failing
// test crashes the reporter instead of printing the failure.
if (typeof (Map as { groupBy?: unknown }).groupBy !== "function") {
  Object.defineProperty(Map, "groupBy", {
    value<K, T>(items: Iterable<T>, key: (item: T, index: number) => K): Map<K, T[]> {
      const groups = new Map<K, T[]>();
      let i = 0;
      for (const item of items) {
        const k = key(item, i++);
        const group = groups.get(k);
        if (group) group.push(item);
        else groups.set(k, [item]);
      }
      return groups;
    },
    configurable: true,
    writable: true,
  });
}

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL(".", import.meta.url)),
      // Next.js swaps `server-only` for an empty module on the server; tests run server code too.
      "server-only": fileURLToPath(new URL("node_modules/server-only/empty.js", import.meta.url)),
    },
  },
  test: {
    include: ["tests/**/*.test.ts", "lib/**/*.test.ts"],
    globalSetup: ["tests/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration files share one PGlite snapshot and one server database; keep them apart.
    fileParallelism: false,
  },
});
