// Deleting the signed-in user's account, for the /account page's server action: who is asking
// (the sign-in port, from the cookies), then the port's deleteAccount (the data, the Storage
// objects, the user itself, this browser's cookies), then the guest cookie if one is left.

import "server-only";
import type { DeletedAccount } from "@/lib/chat/types";
import { AppError } from "@/lib/errors";
import { clearGuestCookie } from "./actor";
import { getAuth } from "./index";
import type { SignedInUser } from "./port";

/**
 * Deletes the account of the user signed in on this request, if `confirmed(user)` says they
 * confirmed it: unauthorized without a session, invalid_input (with a `confirmation` field error)
 * when the confirmation does not match. Nothing is deleted unless both checks pass.
 */
export async function deleteSignedInAccount(
  confirmed: (user: SignedInUser) => boolean,
  mismatch: string,
): Promise<DeletedAccount> {
  const auth = await getAuth();
  const user = await auth.currentUser();
  if (!user) throw new AppError("unauthorized", "Sign in again to delete your account.");
  if (!confirmed(user)) {
    throw new AppError("invalid_input", mismatch, {
      details: { fields: { confirmation: mismatch } },
    });
  }
  const deleted = await auth.deleteAccount(user.id);
  await clearGuestCookie();
  console.info(
    `[auth] deleted an account: ${deleted.conversations} conversation(s), ${deleted.storagePaths.length} stored recording(s)`,
  );
  return deleted;
}
