// One persona in the gallery: who they are, how they greet you, and the first action.

import { PersonaAvatar } from "@/components/persona-avatar";
import type { Persona } from "@/lib/chat/types";
import { StartChatForm } from "./start-chat-form";

export function PersonaCard({ persona }: { persona: Persona }) {
  const headingId = `persona-${persona.slug}`;
  return (
    <li
      data-testid="persona-card"
      data-persona={persona.slug}
      aria-labelledby={headingId}
      className="group flex flex-col rounded-2xl border border-zinc-200 bg-white p-5 shadow-sm transition-shadow hover:shadow-md dark:border-zinc-800 dark:bg-zinc-900 dark:shadow-none dark:hover:border-zinc-700"
    >
      <div className="flex items-center gap-4">
        <PersonaAvatar name={persona.name} avatarUrl={persona.avatarUrl} size="lg" />
        <div className="min-w-0">
          <h2 id={headingId} className="font-semibold text-lg leading-tight">
            {persona.name}
          </h2>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{persona.tagline}</p>
        </div>
      </div>
      <blockquote className="mt-4 flex-1 border-brand-200 border-l-2 pl-3 text-sm text-zinc-700 italic dark:border-brand-800 dark:text-zinc-300">
        “{persona.greeting}”
      </blockquote>
      <StartChatForm personaId={persona.id} personaName={persona.name} className="mt-5" />
    </li>
  );
}
