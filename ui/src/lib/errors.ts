// Every backend method rejects with an IpcError {code, message, hint}; Tauri itself may reject
// with a string (e.g. a command it does not know). Both become an IpcError here.
import type { IpcError, Problem } from "./backend/types";

export function toIpcError(e: unknown): IpcError {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const o = e as Partial<IpcError>;
    const error: IpcError = { code: String(o.code), message: String(o.message), hint: String(o.hint ?? "") };
    // Kept: on the analyst's path it is what the error tells them to ask the License Admin.
    if (typeof o.askAdmin === "string") error.askAdmin = o.askAdmin;
    return error;
  }
  if (typeof e === "string") return { code: "internal", message: e, hint: "Restart the app; if it persists, report it." };
  if (e instanceof Error) return { code: "internal", message: e.message, hint: "Restart the app; if it persists, report it." };
  return { code: "internal", message: "something went wrong", hint: "Restart the app; if it persists, report it." };
}

/** "license id is not valid: it is empty", as the core's error says it (checkField's Problem). */
export function describe(p: Problem): string {
  return `${p.field} is not valid: ${p.reason}`;
}

/** A field's problem as it reads under the field: what is wrong, then what to do. */
export const fieldMessage = (p: Problem) => `${describe(p)}. ${p.hint}`;

/** A refused field (checkField's Problem) as the alert shows it, like the save's invalid_input error. */
export function problemError(p: Problem): IpcError {
  return { code: "invalid_input", message: describe(p), hint: p.hint };
}

export const isCancelled = (e: IpcError | null | undefined) => e?.code === "cancelled";
