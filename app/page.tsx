import { listPersonas } from "@/lib/chat/service";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const personas = await listPersonas();
  return (
    <main className="mx-auto max-w-3xl p-6">
      <h1 className="text-2xl font-semibold">Persona Chat</h1>
      <ul className="mt-4 space-y-2">
        {personas.map((p) => (
          <li key={p.id}>
            <strong>{p.name}</strong>: {p.tagline}
          </li>
        ))}
      </ul>
    </main>
  );
}
