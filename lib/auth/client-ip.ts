// The client's IP address for the per-IP sign-in throttle.
//
// The last X-Forwarded-For entry is the one added by the nearest proxy (Vercel and `next start`
// set the header themselves when the client did not), so a client cannot choose it behind a
// proxy that appends. A bare `next start` keeps a client-sent header: the per-email limit still
// holds there.

const ADDRESS = /^[0-9A-Fa-f:.]{2,45}$/;

export function clientIpFrom(headers: Pick<Headers, "get">): string | null {
  const forwarded = headers.get("x-forwarded-for");
  const candidate = (forwarded ? forwarded.split(",").at(-1) : headers.get("x-real-ip"))?.trim();
  return candidate && ADDRESS.test(candidate) ? candidate : null;
}
