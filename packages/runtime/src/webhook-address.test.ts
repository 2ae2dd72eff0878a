import { describe, expect, it } from "vitest";
import { refusedAddressReason, refusedUrlReason } from "./webhook-address";

/**
 * What the SSRF guard says of a webhook's address: at creation (`url`: names and literal addresses
 * it can judge without DNS) and at send time (`address`: what the name resolved to). Loopback,
 * private, link-local (cloud metadata), unspecified, multicast, CGNAT and broadcast addresses are
 * refused, also behind IPv4-mapped IPv6 or a numeric host; public ones pass.
 */
const table: [check: "address" | "url", input: string, refused: boolean][] = [
  ["address", "127.0.0.1", true],
  ["address", "10.1.2.3", true],
  ["address", "172.16.0.1", true],
  ["address", "192.168.1.1", true],
  ["address", "169.254.169.254", true],
  ["address", "0.0.0.0", true],
  ["address", "224.0.0.1", true],
  ["address", "100.64.0.1", true],
  ["address", "255.255.255.255", true],
  ["address", "::1", true],
  ["address", "::", true],
  ["address", "fe80::1", true],
  ["address", "fc00::1", true],
  ["address", "ff02::1", true],
  ["address", "::ffff:127.0.0.1", true],
  ["address", "::ffff:10.0.0.1", true],
  ["address", "93.184.216.34", false],
  ["address", "8.8.8.8", false],
  ["address", "2606:4700:4700::1111", false],
  ["address", "::ffff:8.8.8.8", false],
  ["url", "http://localhost:8080/x", true],
  ["url", "http://api.localhost/x", true],
  ["url", "http://127.0.0.1/x", true],
  ["url", "http://[::1]:3000/", true],
  ["url", "https://[::ffff:a00:1]/", true],
  ["url", "http://10.0.0.8/", true],
  ["url", "http://0x7f000001/", true],
  // A public name is left to the send-time check of what it resolves to.
  ["url", "https://example.com/hook", false],
  ["url", "http://8.8.8.8/", false],
];

describe("the webhook SSRF guard", () => {
  it.for(table)("%s %s: refused %s", ([check, input, refused]) => {
    const reason = check === "address" ? refusedAddressReason(input) : refusedUrlReason(input);
    expect(reason !== null).toBe(refused);
  });
});
