// The sign-in screens' frame: the site header, then the form centred (top-aligned on phones,
// where the keyboard takes the lower half).

import { SiteHeader } from "@/components/site-header";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <SiteHeader />
      <main
        id="main"
        className="flex flex-1 justify-center px-4 pt-8 pb-12 sm:items-center sm:px-6 sm:pt-12"
      >
        {children}
      </main>
    </div>
  );
}
