// The dev host's transport: each command is `POST {base}/invoke/{command}` with the arguments
// as JSON (camelCase, as Tauri takes them). A command's failure comes back as 422 with its
// IpcError; anything else that goes wrong is turned into an IpcError with the code "devhost".
import type { Invoke } from "./generated/commands";
import type { IpcError } from "./generated/IpcError";

function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === "string" && typeof v.message === "string" && typeof v.hint === "string";
}

const devhostError = (message: string): IpcError => ({
  code: "devhost",
  message,
  hint: "Is the dev host running? Start it with `cargo run -p cloudneeti-devhost -- --ui ui/dist` and open the address it prints.",
});

/** An `Invoke` over fetch to the dev host at `base` (e.g. `location.origin`). */
export function httpInvoke(base: string): Invoke {
  const root = base.replace(/\/+$/, "");
  return async (command, args) => {
    let response: Response;
    try {
      response = await fetch(`${root}/invoke/${command}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(args),
      });
    } catch (e) {
      throw devhostError(`the dev host at ${root} could not be reached for ${command}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text === "" ? null : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (response.ok) {
      if (body === undefined) throw devhostError(`the dev host answered ${command} with a body that is not JSON`);
      return body;
    }
    if (isIpcError(body)) throw body;
    const said = text.trim().slice(0, 200);
    throw devhostError(`the dev host answered ${command} with HTTP ${response.status}${said ? `: ${said}` : ""}`);
  };
}
