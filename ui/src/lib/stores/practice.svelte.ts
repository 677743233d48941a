// The Sandbox's practice portal, as the walkthrough shows it. Kept in memory only: the
// practice secret and key open nothing but the embedded emulator (see PracticeCredentials),
// and nothing of them is written to storage.
import { backend } from "../backend";
import type {
  IpcError,
  PracticeApp,
  PracticeCredentials,
  PracticeKey,
  PracticeLicense,
  PracticeSubscription,
} from "../backend/types";
import { toIpcError } from "../errors";

class Practice {
  license = $state<PracticeLicense | null>(null);
  /** The license's API applications, as the Cloudneeti API Access table lists them. */
  apps = $state<PracticeApp[]>([]);
  /** The application last created or given a new secret here: its row is marked. */
  lastAppId = $state<string | null>(null);
  /** The one-time dialog after Save or Regenerate; cleared on Done. */
  dialog = $state<(PracticeCredentials & { regenerated: boolean }) | null>(null);
  /** The portal's green notice ("API application added successfully"). */
  notice = $state<string | null>(null);
  /** The API portal subscription made here (its primary key), and what Profile shows of it. */
  key = $state<PracticeKey | null>(null);
  /** When Subscribe was clicked: the Profile page's "Started on". */
  subscribedAt = $state<Date | null>(null);
  subscription = $state<PracticeSubscription | null>(null);
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

  async loadApps(): Promise<void> {
    const apps = await this.attempt(() => backend.practiceApps());
    if (apps) this.apps = apps;
  }

  /** Username > Profile: the subscription's state and keys, fresh from the backend. */
  async loadSubscription(): Promise<void> {
    const key = this.key;
    if (!key) return;
    const subscription = await this.attempt(() => backend.practiceSubscription(key.key));
    if (subscription) this.subscription = subscription;
  }

  /** The copy controls: through the backend's clipboard, never the web view's. */
  async copy(text: string): Promise<string | null> {
    const copied = await this.attempt(() => backend.practiceCopy(text));
    return copied ? `Copied. It will be cleared from the clipboard in ${copied.clearsInSeconds} s.` : null;
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
