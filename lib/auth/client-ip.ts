// The client's address, as the key of the per-address limits (sign-in throttle, guest limits).
//
// CLIENT_IP_HEADER names the header that the deployment's own proxy sets: `x-forwarded-for`
// (its right-most entry is the one the nearest proxy appended) or `x-real-ip`. A missing or
// unparseable value counts in one shared "unknown" bucket, so junk never switches a limit off.
// IPv6 addresses count per /64, the block one subscriber usually holds.

import "server-only";
import ipaddr from "ipaddr.js";
import { getConfig, type LimitSettings } from "@/lib/config";

export const UNKNOWN_CLIENT = "unknown";

/** The limit key for an address string: "203.0.113.9", "2001:db8:1:2::/64", or "unknown". */
export function addressKey(value: string | null | undefined): string {
  const text = value?.trim().replace(/^\[(.*)\]$/, "$1") ?? "";
  if (!ipaddr.isValid(text)) return UNKNOWN_CLIENT;
  let address = ipaddr.parse(text);
  if (address.kind() === "ipv6") {
    const v6 = address as ipaddr.IPv6;
    if (!v6.isIPv4MappedAddress()) {
      const parts = v6.parts.slice(0, 4).map((part) => part.toString(16));
      return `${parts.join(":")}::/64`;
    }
    address = v6.toIPv4Address();
  }
  return address.toString();
}

export function clientIpFrom(
  headers: Pick<Headers, "get">,
  header: LimitSettings["clientIpHeader"] = getConfig().limits.clientIpHeader,
): string {
  const raw = headers.get(header);
  const value = header === "x-forwarded-for" ? raw?.split(",").at(-1) : raw;
  return addressKey(value);
}
