// The analyst's checked save over the real core (a dev host): the key first, then the secret
// checked with it; a refused value is not stored and stays for "Keep it anyway".
import { beforeEach, describe, expect, it, vi } from "vitest";
import { useDevhost } from "../backend/testing";
import { CredentialCheck } from "./credentials.svelte";

vi.mock("../backend", () => import("../backend/testing"));
const devhost = useDevhost();

const DEMO = {
  license: "6f1d3c2a-9b4e-4c1a-8f2d-1a2b3c4d5e01",
  app: "0b7e5f3a-2c1d-4e8f-9a6b-7c8d9e0f1a02",
  secret: "DEMO-public-app-secret-0b7e5f3a",
  key: "0123456789abcdef0123456789abcdef",
};
const handoff = JSON.stringify({
  cloudneetiAccessProfile: 1,
  name: "given",
  environment: "sandbox",
  licenseId: DEMO.license,
  appId: DEMO.app,
  apiKeyName: "their-key",
});
const profile = { name: "given", apiKey: "their-key" };
type Listed = { name: string; secretStoredAt: string | null; apiKeyStoredAt: string | null };
const stored = async () => ((await devhost().invoke("list_profiles")) as Listed[]).find((p) => p.name === "given")!;

describe("CredentialCheck", () => {
  beforeEach(async () => {
    await devhost().reset("empty");
    await devhost().invoke("import_profile", { text: handoff, name: null });
  });

  it("stores the key unchecked, refuses a wrong secret without storing it, keeps it only when asked, accepts the right one", async () => {
    const check = new CredentialCheck();
    const first = await check.save(profile, { key: DEMO.key, anyFormat: false, secret: "wrong-secret-value-1" });
    expect(first).toEqual({ key: true, secret: false });
    expect(check.answers.key?.status).toBe("notChecked");
    expect(check.answers.key?.reason).toMatch(/no profile with a stored application secret/);
    expect(check.answers.secret?.status).toBe("refused");
    expect(check.answers.secret?.refused?.code).toBe("app_credentials_rejected");
    expect(check.answers.secret?.refused?.askAdmin).toMatch(/send me the current secret/);
    expect(check.refused).toBe("secret");
    expect((await stored()).secretStoredAt).toBeNull();

    const kept = await check.save(profile, { key: "", anyFormat: false, secret: "wrong-secret-value-1" }, "secret");
    expect(kept).toEqual({ key: false, secret: true });
    expect(check.answers.secret?.status).toBe("keptRefused");
    expect(check.refused).toBeNull();
    expect((await stored()).secretStoredAt).not.toBeNull();

    await check.save(profile, { key: "", anyFormat: false, secret: DEMO.secret });
    expect(check.answers.secret?.status).toBe("accepted");
    expect(check.error).toBeNull();
  });

  it("stops at a refused key (the secret is not sent) and reports a malformed value as an error", async () => {
    const check = new CredentialCheck();
    await check.save(profile, { key: DEMO.key, anyFormat: false, secret: DEMO.secret });
    expect(check.answers.secret?.status).toBe("accepted");
    const wrong = await check.save(profile, { key: "99999999999999999999999999999999", anyFormat: false, secret: "another-secret-1" });
    expect(wrong).toEqual({ key: false, secret: false });
    expect(check.answers.key?.status).toBe("refused");
    expect(check.answers.key?.refused?.code).toBe("api_key_rejected");
    expect(check.refused).toBe("key");
    expect(check.answers.secret?.status).toBe("accepted"); // the earlier answer, untouched

    const typo = await check.save(profile, { key: "short", anyFormat: false, secret: "" });
    expect(typo).toEqual({ key: false, secret: false });
    expect(check.error?.code).toBe("invalid_input");
  });
});
