// Where audio bytes live, by mode: in supabase mode a private Storage bucket (reached with the
// secret key, server only); in postgres and embedded modes the database itself
// (chat_private.message_audio.data). Either way the SQL functions record the audio and decide
// who may read it; this port only moves bytes.

import "server-only";
import { getConfig } from "@/lib/config";
import { createServiceClient, type SupabaseServiceOptions } from "@/lib/db/supabase-transport";
import { AppError } from "@/lib/errors";
import type { AudioContentType } from "./types";

/** The bucket the migration creates (20251201000200_persona_voices_and_audio.sql). */
export const AUDIO_BUCKET = "message-audio";

/** How the SQL call is told where the bytes are: exactly one of the two is set. */
export type AudioPlacement = { dataBase64: string | null; storagePath: string | null };

export interface AudioStore {
  readonly kind: "database" | "storage";
  /**
   * Prepares the bytes for the SQL call that records them: inline (base64) for the database,
   * uploaded as `{conversationId}/{name}` for Storage.
   */
  put(
    conversationId: string,
    name: string,
    bytes: Uint8Array,
    contentType: AudioContentType,
  ): Promise<AudioPlacement>;
  /** Undoes put when the SQL call refused the audio or kept an earlier recording. */
  discard(placement: AudioPlacement): Promise<void>;
  /** The bytes of a recorded audio. */
  read(stored: { data: string | null; storagePath: string | null }): Promise<Uint8Array>;
  /** Removes a conversation's audio (the database's goes with its rows, by cascade). */
  removeConversation(conversationId: string): Promise<void>;
}

export function databaseAudioStore(): AudioStore {
  return {
    kind: "database",
    async put(_conversationId, _name, bytes) {
      return { dataBase64: Buffer.from(bytes).toString("base64"), storagePath: null };
    },
    async discard() {},
    async read(stored) {
      if (stored.data === null) throw new AppError("internal", "The audio is stored elsewhere.");
      return new Uint8Array(Buffer.from(stored.data, "base64"));
    },
    async removeConversation() {},
  };
}

export function storageAudioStore(options: SupabaseServiceOptions): AudioStore {
  const bucket = () => createServiceClient(options).storage.from(AUDIO_BUCKET);
  const unavailable = (what: string, cause: unknown) => {
    console.error(`[voice] Storage ${what} failed`, cause);
    return new AppError("service_unavailable", "The audio storage is unavailable.", { cause });
  };
  return {
    kind: "storage",
    async put(conversationId, name, bytes, contentType) {
      const path = `${conversationId}/${name}`;
      const { error } = await bucket().upload(path, bytes, { contentType, upsert: false });
      if (error) throw unavailable("upload", error);
      return { dataBase64: null, storagePath: path };
    },
    async discard(placement) {
      if (!placement.storagePath) return;
      const { error } = await bucket().remove([placement.storagePath]);
      if (error) console.warn(`[voice] could not remove ${placement.storagePath}`, error);
    },
    async read(stored) {
      if (!stored.storagePath) throw new AppError("internal", "The audio is stored elsewhere.");
      const { data, error } = await bucket().download(stored.storagePath);
      if (error || !data) throw unavailable("download", error);
      return new Uint8Array(await data.arrayBuffer());
    },
    async removeConversation(conversationId) {
      const files = bucket();
      for (;;) {
        const { data, error } = await files.list(conversationId, { limit: 1000 });
        if (error) throw unavailable("list", error);
        if (!data || data.length === 0) return;
        const { error: removeError } = await files.remove(
          data.map((file) => `${conversationId}/${file.name}`),
        );
        if (removeError) throw unavailable("remove", removeError);
      }
    },
  };
}

/** The store of this process's mode. */
export function getAudioStore(): AudioStore {
  const config = getConfig();
  if (config.mode === "supabase" && config.supabase) {
    return storageAudioStore({ url: config.supabase.url, secretKey: config.supabase.secretKey });
  }
  return databaseAudioStore();
}

/**
 * For deleting a conversation: its Storage objects go first (nothing in SQL points at them
 * afterwards), then the rows go by cascade with the conversation. A no-op in the database modes.
 */
export function removeConversationAudio(
  conversationId: string,
  store = getAudioStore(),
): Promise<void> {
  return store.removeConversation(conversationId);
}
