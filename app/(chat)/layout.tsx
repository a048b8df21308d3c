// The chat area's frame: the site header above every page of the guest chat.

import { SiteHeader } from "@/components/site-header";

export default function ChatLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <SiteHeader />
      <main id="main" className="flex flex-1 flex-col">
        {children}
      </main>
    </div>
  );
}
