// Path parameters: ids are UUIDs, and anything else is a 400 before the database sees it.

import { z } from "zod";
import { parseInput } from "./validation";

/**
 * A UUID in the textual form Postgres prints (8-4-4-4-12 hex digits). z.guid(), not z.uuid():
 * Postgres accepts any version and variant, and so must we, or a valid stored id would be refused.
 */
export const uuidSchema = z.guid({ error: "Must be a UUID." });

/** Validates a route's awaited `params` against its schema (400 invalid_input otherwise). */
export async function parseParams<S extends z.ZodType>(
  params: Promise<unknown> | unknown,
  schema: S,
): Promise<z.output<S>> {
  return parseInput(schema, await params, "The id in the path is not valid.");
}
