// Types of devhost.mjs (a Node-only test helper, kept in JavaScript so the UI's type check
// needs no Node types).
import type { IpcError } from "./generated/IpcError";

export declare const REPO_DIR: string;
export declare function devhostBinary(): string;
export declare function seedWithAccounts(accounts: number): unknown;

export interface Devhost {
  readonly url: string;
  reset(scenario?: "empty" | "demo"): Promise<{ sandboxUrl: string | null }>;
  clipboard(): Promise<string | null>;
  opened(): Promise<string[]>;
  savePath(path: string | null): Promise<null>;
  saveDialogs(): Promise<string[]>;
  openPath(path: string | null): Promise<null>;
  openDialogs(): Promise<string[]>;
  confirmAnswer(answer: boolean): Promise<null>;
  confirms(): Promise<string[]>;
  /** Rejects with the command's IpcError. */
  invoke(command: string, args?: Record<string, unknown>): Promise<unknown>;
  emulator(sandboxUrl: string, path: string, body?: unknown): Promise<unknown>;
  stop(): void;
}

export declare function startDevhost(options?: { ui?: string; seed?: unknown }): Promise<Devhost>;
export type { IpcError };
