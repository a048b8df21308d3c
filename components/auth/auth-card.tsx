// The frame of the sign-in and sign-up screens: a title, a short line of context, the form.

export function AuthCard({
  title,
  intro,
  children,
}: {
  title: string;
  intro?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <section
      aria-labelledby="auth-title"
      className="w-full max-w-sm sm:rounded-2xl sm:border sm:border-zinc-200 sm:bg-white sm:p-8 sm:shadow-sm dark:sm:border-zinc-800 dark:sm:bg-zinc-900/60"
    >
      <h1 id="auth-title" className="font-bold text-2xl tracking-tight">
        {title}
      </h1>
      {intro ? <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{intro}</p> : null}
      <div className="mt-6">{children}</div>
    </section>
  );
}
