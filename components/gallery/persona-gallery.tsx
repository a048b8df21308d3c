// The home page's grid of personas, or an empty state when none is available.

import { StatePanel } from "@/components/ui/state-panel";
import type { Persona } from "@/lib/chat/types";
import { PersonaCard } from "./persona-card";

export function PersonaGallery({ personas }: { personas: Persona[] }) {
  if (personas.length === 0) {
    return (
      <StatePanel title="No personas yet" testId="personas-empty">
        There is nobody to talk to right now. Check back soon: new personas are on their way.
      </StatePanel>
    );
  }
  return (
    <ul aria-label="Personas" className="grid gap-4 sm:grid-cols-2 lg:gap-6">
      {personas.map((persona) => (
        <PersonaCard key={persona.id} persona={persona} />
      ))}
    </ul>
  );
}
