// The Sandbox's practice portal, as the walkthrough shows it. Kept in memory only: the
// practice secret and key open nothing but the embedded emulator (see PracticeCredentials),
// and nothing of them is written to storage.
import { backend } from "../backend";
import type { IpcError, PracticeCredentials, PracticeKey, PracticeLicense } from "../backend/types";
import { toIpcError } from "../errors";

class Practice {
  license = $state<PracticeLicense | null>(null);
  apps = $state<{ appId: string; name: string }[]>([]);
  /** The one-time dialog after Save or Regenerate; cleared on Done. */
  dialog = $state<(PracticeCredentials & { regenerated: boolean }) | null>(null);
  key = $state<PracticeKey | null>(null);
  keyShown = $state(false);
  error = $state<IpcError | null>(null);

  async loadLicense(): Promise<PracticeLicense | null> {
    if (this.license) return this.license;
    try {
      this.license = await backend.practiceLicense();
    } catch (e) {
      this.error = toIpcError(e);
    }
    return this.license;
  }

  async attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.error = null;
    try {
      return await work();
    } catch (e) {
      this.error = toIpcError(e);
      return undefined;
    }
  }
}

export const practice = new Practice();
