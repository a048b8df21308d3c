// Live voice conversations through ElevenLabs Agents, for signed-in users. The server gets a signed
// URL with its key (the key never reaches the browser) and hands the browser what
// `@elevenlabs/client` startSession takes: the URL, the persona's prompt, first message and voice
// as overrides, and this conversation's id as a dynamic variable. When the session ends, the
// server fetches the transcript with its key and saves the turns as messages, once.

import "server-only";
import { getVoiceSessionContext, saveVoiceTranscript } from "@/lib/chat/service";
import type { Actor, Conversation } from "@/lib/chat/types";
import { AppError } from "@/lib/errors";
import { createElevenLabsClient } from "./elevenlabs";
import { DEFAULT_ELEVENLABS_VOICE_ID, getVoiceSettings } from "./settings";
import type { ElevenLabsSettings, VoiceSettings } from "./types";

/** The dynamic variable that ties an ElevenLabs conversation to the app's conversation. */
export const CONVERSATION_VARIABLE = "persona_chat_conversation_id";

/** A spoken turn longer than this (far past any real one) is cut to fit messages.content. */
const MAX_TURN_CHARS = 32_000;

/** What the browser passes to `Conversation.startSession` (the shape of @elevenlabs/client 1.x). */
export type VoiceSessionStart = {
  signedUrl: string;
  overrides: {
    agent: { prompt: { prompt: string }; firstMessage: string; language: "en" };
    tts: { voiceId: string };
  };
  dynamicVariables: Record<typeof CONVERSATION_VARIABLE, string>;
};

export type VoiceSessionEnd =
  /** The transcript is saved (now or before: `saved` false means nothing new was saved). */
  | { status: "saved"; saved: boolean; messageCount: number; conversation: Conversation }
  /** ElevenLabs is still processing the session: ask again in a moment. */
  | { status: "processing" };

export type VoiceSessionDeps = { settings?: VoiceSettings; fetch?: typeof fetch };

type Agent = { elevenlabs: ElevenLabsSettings; agentId: string };

function requireUserAndAgent(actor: Actor, deps: VoiceSessionDeps): Agent {
  if (actor.kind !== "user") {
    throw new AppError("sign_in_required", "Sign up or sign in to talk live with a persona.");
  }
  const elevenlabs = (deps.settings ?? getVoiceSettings()).elevenlabs;
  if (!elevenlabs?.agentId) throw new AppError("voice_unavailable");
  return { elevenlabs, agentId: elevenlabs.agentId };
}

/** Everything the browser needs to connect to the agent as this conversation's persona. */
export async function startVoiceSession(
  actor: Actor,
  conversationId: string,
  deps: VoiceSessionDeps = {},
): Promise<VoiceSessionStart> {
  const { elevenlabs, agentId } = requireUserAndAgent(actor, deps);
  const context = await getVoiceSessionContext(actor, conversationId);
  if (!context.persona) {
    throw new AppError("voice_unavailable", "This conversation has no persona to talk to.");
  }
  const client = createElevenLabsClient(elevenlabs, deps.fetch);
  const signedUrl = await client.signedUrl(agentId);
  return {
    signedUrl,
    overrides: {
      agent: {
        prompt: { prompt: context.persona.systemPrompt },
        firstMessage: context.persona.greeting,
        language: "en",
      },
      tts: { voiceId: context.persona.voice.elevenlabsVoiceId ?? DEFAULT_ELEVENLABS_VOICE_ID },
    },
    dynamicVariables: { [CONVERSATION_VARIABLE]: conversationId },
  };
}

/**
 * Saves the transcript of ElevenLabs conversation `sessionId` into the caller's conversation.
 * The session must be of this app's agent and must have been started for this conversation
 * (its dynamic variable), otherwise not_found. Idempotent: the turns are saved once.
 */
export async function finishVoiceSession(
  actor: Actor,
  conversationId: string,
  sessionId: string,
  deps: VoiceSessionDeps = {},
): Promise<VoiceSessionEnd> {
  const { elevenlabs, agentId } = requireUserAndAgent(actor, deps);
  // Ownership first, so that nobody can have the server look up sessions for conversations
  // that are not theirs.
  await getVoiceSessionContext(actor, conversationId);
  const client = createElevenLabsClient(elevenlabs, deps.fetch);
  const details = await client.conversation(sessionId);
  if (
    details.agentId !== agentId ||
    details.dynamicVariables[CONVERSATION_VARIABLE] !== conversationId
  ) {
    throw new AppError("not_found", "That voice session is not part of this conversation.");
  }
  if (details.status !== "done" && details.status !== "failed") return { status: "processing" };

  const turns = details.turns.map((turn) => ({
    role: turn.role,
    content: turn.content.slice(0, MAX_TURN_CHARS),
  }));
  const result = await saveVoiceTranscript(actor, conversationId, sessionId, turns);
  return {
    status: "saved",
    saved: result.saved,
    messageCount: result.messageCount,
    conversation: result.conversation,
  };
}
