// Any other path under /api: a JSON 404 in the API's error format, not the HTML error page.

import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

function notFound(): Response {
  return errorResponse(new AppError("not_found", "There is no such API endpoint."));
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
// An unknown path has no methods to list, so OPTIONS is a 404 too (not Next.js's generated 204).
export const OPTIONS = notFound;
