// Path parameters: ids are UUIDs, and anything else is a 400 before the database sees it.

import type { z } from "zod";
import { parseInput } from "./validation";

export { uuidSchema } from "@/lib/ids";

/** Validates a route's awaited `params` against its schema (400 invalid_input otherwise). */
export async function parseParams<S extends z.ZodType>(
  params: Promise<unknown> | unknown,
  schema: S,
): Promise<z.output<S>> {
  return parseInput(schema, await params, "The id in the path is not valid.");
}
