// Input validation at the HTTP boundary: zod schemas in, parsed values or a 400 `invalid_input`
// naming each bad field out.

import type { z } from "zod";
import { AppError } from "@/lib/errors";

export type FieldIssue = { path: string; message: string };

export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
}

/** The parsed value, or throws AppError("invalid_input") with `details.issues`. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  message = "The request is not valid.",
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AppError("invalid_input", message, {
    details: { issues: toFieldIssues(result.error) },
  });
}
