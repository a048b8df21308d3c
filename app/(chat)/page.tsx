// Home: the persona gallery. Guests see what they get without an account; signed-in users see
// their recent conversations beside it (above it on phones).

import { AllowanceNote } from "@/components/gallery/allowance-note";
import { PersonaGallery } from "@/components/gallery/persona-gallery";
import { loadHistory } from "@/components/history/load-history";
import { RecentConversations } from "@/components/history/recent-conversations";
import { buttonClass } from "@/components/ui/button-styles";
import { StatePanel } from "@/components/ui/state-panel";
import { getActor } from "@/lib/auth/actor";
import { getGuestAllowance, listPersonas } from "@/lib/chat/service";
import type { Actor, Allowance, Persona } from "@/lib/chat/types";
import { getConfig } from "@/lib/config";

export const dynamic = "force-dynamic";

async function loadGallery(): Promise<
  { ok: true; personas: Persona[]; actor: Actor | null; allowance: Allowance } | { ok: false }
> {
  try {
    // The allowance needs only the cookie, so both reads run at once.
    const actorPromise = getActor();
    const [personas, actor, allowance] = await Promise.all([
      listPersonas(),
      actorPromise,
      actorPromise.then((a) => (a?.kind === "guest" ? getGuestAllowance(a.sessionId) : null)),
    ]);
    return { ok: true, personas, actor, allowance };
  } catch (error) {
    console.error("[gallery] could not load personas", error);
    return { ok: false };
  }
}

export default async function HomePage() {
  const [gallery, history] = await Promise.all([loadGallery(), loadHistory()]);
  const personas = gallery.ok ? (
    <PersonaGallery personas={gallery.personas} />
  ) : (
    <StatePanel
      tone="error"
      title="We could not load the personas"
      testId="personas-error"
      action={
        <a href="/" className={buttonClass("secondary")}>
          Try again
        </a>
      }
    >
      Something went wrong on our side. Please try again in a moment.
    </StatePanel>
  );
  return (
    <div
      className={`mx-auto w-full px-4 py-10 sm:px-6 sm:py-14 ${history ? "max-w-6xl" : "max-w-5xl"}`}
    >
      <div className="mb-8 flex flex-col items-start gap-4 sm:mb-10">
        <h1 className="font-bold text-3xl tracking-tight sm:text-4xl">
          Who would you like to talk to?
        </h1>
        <p className="max-w-2xl text-base text-zinc-600 sm:text-lg dark:text-zinc-400">
          Pick a persona and start a conversation. Each one has its own voice, and they all love a
          good question.
        </p>
        {gallery.ok && gallery.actor?.kind !== "user" ? (
          <AllowanceNote allowance={gallery.allowance} limit={getConfig().guestMessageLimit} />
        ) : null}
      </div>
      {history ? (
        <div className="grid grid-cols-[minmax(0,1fr)] gap-8 lg:grid-cols-[minmax(0,1fr)_20rem] lg:items-start">
          <div className="lg:sticky lg:top-20 lg:col-start-2 lg:row-start-1">
            <RecentConversations conversations={history.conversations} />
          </div>
          <div className="lg:col-start-1 lg:row-start-1">{personas}</div>
        </div>
      ) : (
        personas
      )}
    </div>
  );
}
