// 404 inside the chat area (a conversation that is missing or not the caller's): the chat
// layout already shows the site header.

import { NotFoundContent } from "@/components/not-found-content";

export const metadata = { title: "Not found" };

export default function ChatNotFound() {
  return (
    <div className="flex flex-1 items-center justify-center px-4 py-16">
      <NotFoundContent />
    </div>
  );
}
