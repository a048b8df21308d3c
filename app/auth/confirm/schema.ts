// The query of an email link that lands on /auth/confirm (Supabase's SSR guide:
// `/auth/confirm?token_hash={{ .TokenHash }}&type=...&next=...`).

import { z } from "zod";

export const EmailLinkSchema = z.object({
  tokenHash: z.string().min(1).max(512),
  type: z.enum(["signup", "invite", "magiclink", "recovery", "email_change", "email"]),
});
