// Checks that the conversation is the caller's before anything streams. It sits above this
// segment's loading.tsx (a Suspense boundary), so a miss is a real HTTP 404, not a 200 page.

import { notFound } from "next/navigation";
import { loadConversation } from "./load-conversation";

export default async function ConversationLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ id: string }>;
}) {
  if (!(await loadConversation((await params).id))) notFound();
  return children;
}
