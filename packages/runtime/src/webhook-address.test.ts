import { describe, expect, it } from "vitest";
import { refusedAddressReason, refusedUrlReason } from "./webhook-address";

describe("refusedAddressReason", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "0.0.0.0",
    "224.0.0.1",
    "100.64.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
  ])("refuses %s", (address) => {
    expect(refusedAddressReason(address)).not.toBeNull();
  });

  it.each(["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("allows %s", (address) => {
    expect(refusedAddressReason(address)).toBeNull();
  });
});

describe("refusedUrlReason", () => {
  it.each([
    "http://localhost:8080/x",
    "http://api.localhost/x",
    "http://127.0.0.1/x",
    "http://[::1]:3000/",
    "https://[::ffff:a00:1]/",
    "http://10.0.0.8/",
    "http://0x7f000001/",
  ])("refuses %s", (url) => {
    expect(refusedUrlReason(url)).not.toBeNull();
  });

  it.each(["https://example.com/hook", "http://8.8.8.8/"])("leaves %s to the send-time check", (url) => {
    expect(refusedUrlReason(url)).toBeNull();
  });
});
