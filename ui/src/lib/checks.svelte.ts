// A form's fields checked by the core's own rules (backend.checkField), so the UI keeps no
// copy of them: one rule, one place. Every form shares this.
//
// As the user types, a field is checked about 150 ms after its last keystroke, and a later
// keystroke wins over an answer still on its way. On submit, every field is checked at once
// and the answers awaited: a form sends nothing to a saving command until all of them pass.
// The one judgement made here is that an empty field is not flagged while typing (the user
// has not started yet); on submit the core is asked about it like any other value.
//
// A refused field's message is shown once, under the field, and a failed submit moves the
// keyboard focus to the first refused field on the page (so the user lands on what to fix).
// The keys are the fields' test ids, which is how the field is found.
import { tick, untrack } from "svelte";
import { backend } from "./backend";
import type { Field, FieldCheck, IpcError } from "./backend/types";
import { fieldMessage, problemError, toIpcError } from "./errors";

export const TYPING_PAUSE_MS = 150;

/** What to ask the core about one field: its kind and the value as typed; null when the
 * field is not in play (hidden, fixed, or optional and left empty). */
export type Ask = { field: Field; value: string } | null;

/** After a submit: the value of each field as the core keeps it; or, refused, the error for the
 * form's alert: null when every problem is shown under its field (and the focus is there). */
export type Checked<K extends string> =
  | { ok: true; value: (key: K) => string | null }
  | { ok: false; error: IpcError | null };

export class FormChecks<K extends string> {
  /** The message under each refused field ("{field} is not valid: {reason}. {hint}"), by the field's test id. */
  errors = $state<Partial<Record<K, string>>>({});
  /** The core's latest answer per field (e.g. which environment an address names). */
  answers = $state<Partial<Record<K, FieldCheck>>>({});

  #asks: Record<K, () => Ask>;
  #asked = {} as Record<K, number>;
  #timers = new Map<K, ReturnType<typeof setTimeout>>();

  constructor(asks: Record<K, () => Ask>) {
    this.#asks = asks;
    for (const key of this.#keys()) this.#asked[key] = 0;
  }

  /** Checks each field as the user changes it. Call while a component is set up; it stops with it. */
  live() {
    for (const key of this.#keys()) {
      let last: string | undefined;
      $effect(() => {
        const ask = this.#asks[key]();
        const seen = JSON.stringify(ask);
        if (last !== undefined && seen !== last) untrack(() => this.#typed(key, ask));
        last = seen;
      });
    }
    $effect(() => () => this.#forget());
  }

  /** Checks every field in play now (answers to earlier keystrokes are dropped) and shows each problem under its field. */
  async all(): Promise<Checked<K>> {
    const keys = this.#keys();
    const asks = keys.map((key) => [key, this.#asks[key](), this.#next(key)] as const);
    let answers: (FieldCheck | null)[];
    try {
      answers = await Promise.all(asks.map(([, ask]) => (ask ? backend.checkField(ask.field, ask.value) : null)));
    } catch (e) {
      return { ok: false, error: toIpcError(e) };
    }
    const kept = {} as Record<K, FieldCheck | null>;
    asks.forEach(([key, , asked], i) => {
      kept[key] = answers[i];
      if (this.#asked[key] === asked) this.#show(key, answers[i]);
    });
    const refused = keys.filter((key) => kept[key]?.problem);
    if (refused.length) {
      await tick(); // the messages and aria-invalid are on the page before the focus moves
      const fields = refused.map((key) => document.querySelector<HTMLElement>(`[data-testid="${key}"]`));
      firstOnPage(fields)?.focus();
      // A field not on the page cannot show its message: the form's alert says it instead.
      const hidden = refused.find((_, i) => fields[i] === null);
      return { ok: false, error: hidden === undefined ? null : problemError(kept[hidden]!.problem!) };
    }
    return { ok: true, value: (key) => kept[key]?.value ?? null };
  }

  /** Forgets every message and answer (a form started afresh). */
  clear() {
    this.#forget();
    this.errors = {};
    this.answers = {};
  }

  #keys(): K[] {
    return Object.keys(this.#asks) as K[];
  }

  /** A new question for `key`: its number; anything asked before it is now stale. */
  #next(key: K): number {
    clearTimeout(this.#timers.get(key));
    this.#timers.delete(key);
    return ++this.#asked[key];
  }

  #typed(key: K, ask: Ask) {
    const asked = this.#next(key);
    if (!ask || ask.value.trim() === "") return this.#show(key, null);
    const timer = setTimeout(async () => {
      this.#timers.delete(key);
      try {
        const answer = await backend.checkField(ask.field, ask.value);
        if (this.#asked[key] === asked) this.#show(key, answer);
      } catch {
        // Only a hint while typing; the submit asks again and reports a failure.
      }
    }, TYPING_PAUSE_MS);
    this.#timers.set(key, timer);
  }

  #show(key: K, answer: FieldCheck | null) {
    if (answer) this.answers[key] = answer;
    else delete this.answers[key];
    if (answer?.problem) this.errors[key] = fieldMessage(answer.problem);
    else delete this.errors[key];
  }

  #forget() {
    for (const key of this.#keys()) this.#next(key);
  }
}

/** The element that comes first in the page's order. */
function firstOnPage(elements: (HTMLElement | null)[]): HTMLElement | undefined {
  return elements
    .filter((el): el is HTMLElement => el !== null)
    .sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))[0];
}
