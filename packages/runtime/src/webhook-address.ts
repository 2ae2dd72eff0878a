import ipaddr from "ipaddr.js";

/** The ranges a webhook may reach; everything else (loopback, private, link-local…) is refused. */
const PUBLIC_RANGES = new Set(["unicast"]);

/**
 * Why a webhook may not be sent to this IP address, or null if it may: anything but public unicast
 * (private, loopback, link-local, unspecified, multicast, carrier-grade NAT, reserved…), and an
 * IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
 */
export function refusedAddressReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6") {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
  }
  const range = parsed.range();
  return PUBLIC_RANGES.has(range) ? null : `${address} is a ${range} address`;
}

/**
 * What can be judged from a URL alone (at creation): a literal IP address or `localhost` naming a
 * refused address. Host names are judged again, resolved, at every send (DNS may change).
 */
export function refusedUrlReason(url: string): string | null {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return `${host} is a loopback name`;
  return ipaddr.isValid(host) ? refusedAddressReason(host) : null;
}
