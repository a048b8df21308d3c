// Input of the "forgot password" and "new password" forms, validated beside the actions that take
// them (the same email and password rules as sign-in), and the email-link query of /auth/confirm.

import { z } from "zod";
import { CredentialsSchema } from "./schema";

export const PasswordResetRequestSchema = z.object({ email: CredentialsSchema.shape.email });

export const NewPasswordSchema = z.object({
  password: z
    .string({ error: "Enter a new password." })
    .min(1, "Enter a new password.")
    .max(1024, "That password is too long."),
});

export function readResetRequest(formData: FormData) {
  return PasswordResetRequestSchema.safeParse({ email: formData.get("email") ?? undefined });
}

export function readNewPassword(formData: FormData) {
  return NewPasswordSchema.safeParse({ password: formData.get("password") ?? undefined });
}
