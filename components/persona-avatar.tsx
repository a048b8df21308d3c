// A persona's round avatar, or its initials when the persona has no picture.

const SIZES = {
  sm: "size-8 text-xs",
  md: "size-12 text-base",
  lg: "size-16 text-xl",
  xl: "size-20 text-2xl",
} as const;

export function PersonaAvatar({
  name,
  avatarUrl,
  size = "md",
  decorative = true,
}: {
  name: string;
  avatarUrl: string | null;
  size?: keyof typeof SIZES;
  /** True when the name is printed next to the avatar, so screen readers should skip it. */
  decorative?: boolean;
}) {
  const classes = `${SIZES[size]} shrink-0 rounded-full ring-1 ring-black/5 dark:ring-white/10`;
  if (!avatarUrl) {
    const initials = name
      .split(/\s+/)
      .map((word) => word[0] ?? "")
      .join("")
      .slice(0, 2)
      .toUpperCase();
    const initialsClass = `${classes} inline-flex items-center justify-center bg-brand-100 font-semibold text-brand-800 dark:bg-brand-900 dark:text-brand-100`;
    return decorative ? (
      <span className={initialsClass} aria-hidden="true">
        {initials}
      </span>
    ) : (
      <span className={initialsClass} role="img" aria-label={name}>
        {initials}
      </span>
    );
  }
  return (
    // SVG avatars from public/ need no optimisation, so a plain <img> is the lighter choice.
    // biome-ignore lint/performance/noImgElement: next/image adds nothing for a small local SVG.
    <img
      src={avatarUrl}
      alt={decorative ? "" : name}
      width={80}
      height={80}
      className={`${classes} bg-zinc-100 object-cover dark:bg-zinc-800`}
    />
  );
}
