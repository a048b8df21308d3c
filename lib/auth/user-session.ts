// Who is signed in. Placeholder until the signed-in users issue: nobody is.
// Replaced by Supabase Auth (supabase mode) and the local JWT session (other modes).

export type SignedInUser = { id: string; email: string | null };

export async function getSignedInUser(): Promise<SignedInUser | null> {
  return null;
}
