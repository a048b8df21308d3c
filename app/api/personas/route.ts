// GET /api/personas: the active personas, in gallery order. Takes no input, so no schema.

import { listPersonas } from "@/lib/chat/service";
import { withApi } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { jsonResponse } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = withApi(async () => {
  return jsonResponse({ personas: await listPersonas() });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
