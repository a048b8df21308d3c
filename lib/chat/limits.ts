// The message length limit, in one place for the composer (client) and the API's schema (server);
// post_user_message checks the same number in SQL. Imported by client code: keep it dependency-free.

/** The most a message may hold, in Unicode code points after trimming. */
export const MAX_MESSAGE_CHARS = 4000;

/**
 * A message's length as the server counts it: Unicode code points of the trimmed text, which is
 * what Postgres' char_length counts. `String.length` counts UTF-16 units instead, so an emoji
 * outside the BMP would count twice and a message the server accepts would look too long.
 */
export function messageLength(text: string): number {
  let count = 0;
  for (const _ of text.trim()) count += 1;
  return count;
}
