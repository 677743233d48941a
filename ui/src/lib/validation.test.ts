import { describe, expect, it } from "vitest";
import { CATALOG } from "./backend/generated/catalogValue";
import * as v from "./validation";

const reason = (c: v.Checked<unknown>) => (c.ok ? null : c.problem.reason);

describe("GUIDs (license, application and account ids)", () => {
  it("accepts a GUID, cleaned of what a paste adds, lowercased", () => {
    expect(v.licenseId("  {3F2504E0-4F89-41D3-9A0C-0305E82C3301}\n")).toEqual({ ok: true, value: "3f2504e0-4f89-41d3-9a0c-0305e82c3301" });
    expect(v.appId('"7c9e6679-7425-40de-944b-e07fc1f90ae7"').ok).toBe(true);
  });
  it("says what is wrong, as the Rust validator does", () => {
    expect(reason(v.licenseId(""))).toBe("it is empty");
    expect(reason(v.licenseId("3f2504e0-4f89-41d3-9a0c"))).toMatch(/23 characters; a GUID has 36/);
    expect(reason(v.appId("0123456789abcdef0123456789abcdef"))).toMatch(/what an API key looks like/);
    expect(reason(v.accountId("3f2504e0x4f89-41d3-9a0c-0305e82c3301"))).toBe("character 9 should be a hyphen (8-4-4-4-12)");
    expect(reason(v.licenseId("3f2504e0-4f89-41d3-9a0c-0305e82c330g"))).toMatch(/character 36 \('g'\) is not a hex digit/);
    expect(reason(v.licenseId("3f2504e0-4f89-41d3-9a0c-0305e82c\u200b3301"))).toMatch(/invisible character \(U\+200B, zero-width space\) at character 33/);
  });
  it("names the field and the portal place in the hint", () => {
    const c = v.licenseId("nope");
    expect(c.ok).toBe(false);
    if (!c.ok) {
      expect(v.describe(c.problem)).toBe("license id is not valid: it has 4 characters; a GUID has 36 (32 hex digits in groups 8-4-4-4-12)");
      expect(c.problem.hint).toMatch(/Configurations > Features and Quotas/);
    }
  });
});

describe("API keys", () => {
  it("wants 32 hex digits, lowercased", () => {
    expect(v.apiKey("0123456789ABCDEF0123456789abcdef", false)).toEqual({ ok: true, value: "0123456789abcdef0123456789abcdef" });
    expect(reason(v.apiKey("0123", false))).toBe("it has 4 characters; an API key has 32 hex digits");
    expect(reason(v.apiKey("0123456789abcdef0123456789abcdeg", false))).toBe("character 32 is not a hex digit (0-9, a-f)");
    expect(reason(v.apiKey("3f2504e0-4f89-41d3-9a0c-0305e82c3301", false))).toMatch(/shape of a license or application id/);
    expect(reason(v.apiKey("0123456789abcdef 123456789abcdef", false))).toBe("it contains a space at character 17");
  });
  it("allows any 8 to 256 printable ASCII characters when asked, unchanged", () => {
    expect(v.apiKey("Key-Of_Another.Shape", true)).toEqual({ ok: true, value: "Key-Of_Another.Shape" });
    expect(reason(v.apiKey("short", true))).toMatch(/5 characters; a key of any format needs 8 to 256/);
    expect(reason(v.apiKey("abcdefgh\u00e9", true))).toMatch(/character 9 is not a printable ASCII character/);
  });
  it("never quotes the key in a message", () => {
    const c = v.apiKey("secretvalue-with-Z", false);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(v.describe(c.problem) + c.problem.hint).not.toContain("secretvalue");
  });
});

describe("application secret, names, addresses", () => {
  it("secret: no whitespace or invisible characters, at most 1024", () => {
    expect(v.appSecret(" abc ")).toEqual({ ok: true, value: "abc" });
    expect(reason(v.appSecret("a\nb"))).toMatch(/line break at character 2/);
    expect(reason(v.appSecret("x".repeat(1025)))).toMatch(/1025 characters; at most 1024/);
  });
  it("profile and key names", () => {
    expect(v.profileName("contoso-prod").ok).toBe(true);
    expect(reason(v.profileName("-x"))).toBe("it must start with a letter or digit");
    expect(reason(v.profileName("a b"))).toBe("it contains a space at character 2");
    expect(reason(v.keyName("a/b"))).toMatch(/character 2 \('\/'\) is not a letter/);
    expect(reason(v.profileName("k0123456789abcdef0123456789abcdef"))).toMatch(/looks like an API key/);
    expect(reason(v.profileName("x".repeat(65)))).toMatch(/65 characters; at most 64/);
  });
  it("base URL: https, http only for this computer, nothing extra", () => {
    expect(v.baseUrl("https://API.example.com:443/v1/")).toEqual({ ok: true, value: "https://api.example.com/v1" });
    expect(v.baseUrl("http://127.0.0.1:8080").ok).toBe(true);
    expect(v.baseUrl("http://localhost:8080").ok).toBe(true);
    expect(reason(v.baseUrl("http://api.example.com"))).toMatch(/plain http would send the API key unencrypted/);
    expect(reason(v.baseUrl("ftp://x.example"))).toBe("it starts with ftp:, but only https:// is accepted");
    expect(reason(v.baseUrl("https://u:p@x.example"))).toMatch(/user name or password/);
    expect(reason(v.baseUrl("https://x.example/?a=1"))).toMatch(/query/);
    expect(reason(v.baseUrl("https://x.example/#top"))).toMatch(/fragment/);
  });
  it("environment: words, addresses, and the core's known addresses folded in", () => {
    const known = CATALOG.environments;
    expect(v.environment("PRODUCTION", known)).toEqual({ ok: true, value: { kind: "prod", value: "prod" } });
    expect(v.environment("Prod1", known)).toEqual({ ok: true, value: { kind: "prod1", value: "prod1" } });
    expect(v.environment("https://api1.cloudneeti.com/", known)).toEqual({ ok: true, value: { kind: "prod1", value: "prod1" } });
    expect(v.environment("https://trialapi.cloudneeti.com/", known)).toEqual({ ok: true, value: { kind: "trial", value: "trial" } });
    expect(v.environment("https://apim.contoso.example", known)).toEqual({ ok: true, value: { kind: "custom", value: "https://apim.contoso.example" } });
    expect(reason(v.environment("staging", known))).toMatch(/not prod, prod1, trial, sandbox/);
    expect(reason(v.customEnvironment("", known))).toBe("it is empty");
  });
  it("dates, clipboard delay", () => {
    expect(v.secretExpiresOn("2027-03-31").ok).toBe(true);
    expect(reason(v.secretExpiresOn("2027-02-30"))).toMatch(/is not a date like 2027-03-31/);
    expect(v.clipboardSeconds(30).ok).toBe(true);
    expect(v.clipboardSeconds("4").ok).toBe(false);
    expect(v.clipboardSeconds(601).ok).toBe(false);
  });
  it("days until a secret expiry date, in UTC days: the date is its last day to midnight UTC", () => {
    const today = new Date(Date.UTC(2026, 0, 10, 15, 0));
    expect(v.daysUntil("2026-01-10", today)).toBe(0);
    expect(v.daysUntil("2026-01-24", today)).toBe(14);
    expect(v.daysUntil("2026-01-08", today)).toBe(-2);
    expect(v.daysUntil("2026-01-10", new Date(Date.UTC(2026, 0, 10, 23, 59, 59)))).toBe(0);
    expect(v.daysUntil("2026-01-10", new Date(Date.UTC(2026, 0, 11, 0, 0, 0)))).toBe(-1);
  });
});
