// The one UUID check: conversation, persona, message and user ids are UUIDs, and anything else is
// refused before the database sees it. Safe to import from client code.

import { z } from "zod";

/**
 * A UUID in the textual form Postgres prints (8-4-4-4-12 hex digits). z.guid(), not z.uuid():
 * Postgres accepts any version and variant, and so must we, or a valid stored id would be refused.
 */
export const uuidSchema = z.guid({ error: "Must be a UUID." });

export function isUuid(value: unknown): value is string {
  return uuidSchema.safeParse(value).success;
}
