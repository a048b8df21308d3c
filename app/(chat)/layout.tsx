// The chat area's frame: the site header above every page of the guest chat. Pages scroll as
// documents, except a conversation (it marks itself data-chat-shell): then the frame is exactly
// the screen's height, the header stays put, and only the message list and the sidebar scroll.

import { SiteHeader } from "@/components/site-header";

export default function ChatLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col has-[[data-chat-shell]]:h-dvh has-[[data-chat-shell]]:overflow-hidden">
      <SiteHeader />
      <main id="main" className="flex min-h-0 flex-1 flex-col">
        {children}
      </main>
    </div>
  );
}
