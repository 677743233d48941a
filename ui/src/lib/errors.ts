// Every backend method rejects with an IpcError {code, message, hint}; Tauri itself may reject
// with a string (e.g. a command it does not know). Both become an IpcError here.
import type { IpcError } from "./backend/types";
import type { Problem } from "./validation";
import { describe } from "./validation";

export function toIpcError(e: unknown): IpcError {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const o = e as Partial<IpcError>;
    return { code: String(o.code), message: String(o.message), hint: String(o.hint ?? "") };
  }
  if (typeof e === "string") return { code: "internal", message: e, hint: "Restart the app; if it persists, report it." };
  if (e instanceof Error) return { code: "internal", message: e.message, hint: "Restart the app; if it persists, report it." };
  return { code: "internal", message: "something went wrong", hint: "Restart the app; if it persists, report it." };
}

/** A client-side validation problem, shaped like the backend's invalid_input error. */
export function problemError(p: Problem): IpcError {
  return { code: "invalid_input", message: describe(p), hint: p.hint };
}

export const isCancelled = (e: IpcError | null | undefined) => e?.code === "cancelled";
