// Who is signed in on this request, through the sign-in port (lib/auth/index.ts). Null when
// nobody is, or when the cookie is missing, tampered with or expired; never throws for a bad cookie.

import "server-only";
import { cache } from "react";
import { getAuth } from "./index";
import type { SignedInUser } from "./port";

export type { SignedInUser } from "./port";

/** Memoised per server render, so the header, the page and the sidebar verify once. */
export const getSignedInUser = cache(
  async (): Promise<SignedInUser | null> => (await getAuth()).currentUser(),
);
