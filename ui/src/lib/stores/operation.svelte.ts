// A long backend operation the user can watch and cancel: run() passes an opId to the
// backend; cancel() calls cancelOperation(opId), after which the backend's promise rejects
// with code "cancelled".
import { backend } from "../backend";
import type { IpcError } from "../backend/types";
import { toIpcError } from "../errors";

let counter = 0;
function newOpId(): string {
  counter += 1;
  const random = typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : String(Math.random()).slice(2);
  return `op-${counter}-${random}`;
}

export class Operation {
  busy = $state(false);
  label = $state("");
  opId = $state<string | null>(null);
  error = $state<IpcError | null>(null);

  /** Runs `work`; returns its value, or undefined after an error (kept in `error`). */
  async run<T>(label: string, work: (opId: string) => Promise<T>): Promise<T | undefined> {
    const opId = newOpId();
    this.busy = true;
    this.label = label;
    this.opId = opId;
    this.error = null;
    try {
      return await work(opId);
    } catch (e) {
      this.error = toIpcError(e);
      return undefined;
    } finally {
      if (this.opId === opId) {
        this.busy = false;
        this.opId = null;
      }
    }
  }

  async cancel() {
    if (this.opId) await backend.cancelOperation(this.opId).catch(() => {});
  }
}
