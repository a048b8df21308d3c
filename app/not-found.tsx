// The friendly 404 for URLs outside the chat area (the chat area has its own, under its header).

import { NotFoundContent } from "@/components/not-found-content";
import { SiteHeader } from "@/components/site-header";

export const metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <div className="flex min-h-dvh flex-col">
      <SiteHeader />
      <main id="main" className="flex flex-1 items-center justify-center px-4 py-16">
        <NotFoundContent />
      </main>
    </div>
  );
}
