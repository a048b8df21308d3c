// GET /api/personas: the active personas, in gallery order. Takes no input, so no schema.

import { listPersonas } from "@/lib/chat/service";
import { withErrorHandling } from "@/lib/http/errors";
import { jsonResponse } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async () => {
  return jsonResponse({ personas: await listPersonas() });
});
