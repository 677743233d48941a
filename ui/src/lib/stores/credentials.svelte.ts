// The analyst's checked save: the API key, then the application secret, each stored only once
// the service accepts it, or when the user keeps a refused one after seeing why. What counts as
// a refusal, and what each value is checked with, are the core's (set_api_key_checked,
// set_app_secret_checked); this only orders the two calls and keeps each answer for the screen.
import { backend } from "../backend";
import type { CheckedView, IpcError } from "../backend/types";
import { toIpcError } from "../errors";

export type Which = "key" | "secret";

/** What was typed when Save was pressed; an empty value is left as it is stored. */
export interface Typed {
  key: string;
  anyFormat: boolean;
  secret: string;
}

export class CredentialCheck {
  /** The core's answer for each value saved so far. */
  answers = $state<Partial<Record<Which, CheckedView>>>({});
  /** A failure that is no verdict of the service (a malformed value, the keychain, a cancel). */
  error = $state<IpcError | null>(null);

  /**
   * Saves the typed values of `profile`: the key first (the secret is checked with it), then the
   * secret; a refused key stops there. `keep` names the value to store although the service
   * refused it (the user's explicit choice). Answers which values are stored now, so the form
   * can forget them; a refused value stays typed for "Keep it anyway" or a correction.
   */
  async save(profile: { name: string; apiKey: string }, typed: Typed, keep: Which | null = null, opId?: string): Promise<Record<Which, boolean>> {
    const stored = { key: false, secret: false };
    this.error = null;
    try {
      if (typed.key) {
        const answer = await backend.setApiKeyChecked(profile.apiKey, typed.key, typed.anyFormat, keep === "key", opId);
        this.answers = { ...this.answers, key: answer };
        stored.key = answer.status !== "refused";
        if (!stored.key) return stored;
      }
      if (typed.secret) {
        const answer = await backend.setAppSecretChecked(profile.name, typed.secret, keep === "secret", opId);
        this.answers = { ...this.answers, secret: answer };
        stored.secret = answer.status !== "refused";
      }
    } catch (e) {
      this.error = toIpcError(e);
    }
    return stored;
  }

  /** The value refused and not stored, waiting for a correction or "Keep it anyway". */
  get refused(): Which | null {
    if (this.answers.key?.status === "refused") return "key";
    if (this.answers.secret?.status === "refused") return "secret";
    return null;
  }
}
