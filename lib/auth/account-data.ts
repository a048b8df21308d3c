// What deleting an account erases on the app's side, the same in every mode: one SQL step
// (delete_account: the conversations with their messages and audio rows, the usage counts, and,
// with `deleteAuthUser`, the auth.users row), then the Storage objects of its audio (supabase
// mode; none in the database modes, whose audio went with the rows). The sign-in ports call it
// from deleteAccount, each with what its mode needs.

import "server-only";
import { deleteAccount } from "@/lib/chat/service";
import type { DeletedAccount } from "@/lib/chat/types";
import { getAudioStore } from "@/lib/voice/audio-store";

/** Storage removals at a time. */
const DISCARD_BATCH = 10;

export async function eraseAccountData(
  userId: string,
  options: { deleteAuthUser: boolean },
): Promise<DeletedAccount> {
  const deleted = await deleteAccount(userId, options);
  // Nothing in SQL points at these objects any more; a failed removal is logged by the store and
  // leaves an orphan in the private bucket, never a readable recording.
  const store = getAudioStore();
  const paths = deleted.storagePaths;
  for (let i = 0; i < paths.length; i += DISCARD_BATCH) {
    await Promise.all(
      paths
        .slice(i, i + DISCARD_BATCH)
        .map((storagePath) => store.discard({ dataBase64: null, storagePath })),
    );
  }
  return deleted;
}
