// Input of the sign-in and sign-up forms (validated beside the actions that take it), and the
// state those actions hand back to the forms.

import { z } from "zod";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const CredentialsSchema = z.object({
  email: z
    .string({ error: "Enter your email address." })
    .trim()
    .min(1, "Enter your email address.")
    .max(255, "That email address is too long.")
    .regex(EMAIL, "Enter a valid email address, like name@example.com."),
  password: z
    .string({ error: "Enter your password." })
    .min(1, "Enter your password.")
    .max(1024, "That password is too long."),
});

export type AuthField = "email" | "password";

export type AuthFormState = {
  /** A sentence for the whole form (shown as an alert). */
  error?: string;
  code?: string;
  fieldErrors?: Partial<Record<AuthField, string>>;
  /** Echoed back so the email survives a failed attempt. */
  email?: string;
  /** A non-error outcome to show, e.g. "check your inbox". */
  notice?: string;
};

export function readCredentials(formData: FormData) {
  return CredentialsSchema.safeParse({
    email: formData.get("email") ?? undefined,
    password: formData.get("password") ?? undefined,
  });
}
