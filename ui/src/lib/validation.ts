// Client-side checks for quick feedback, mirroring crates/core/src/validate.rs (and
// model.rs's Environment::parse and ProfileForm::validate). The backend re-validates
// everything; these only spare a round trip. Messages never quote a secret's characters.
// Facts (the known environments, the Token Expiry choices) are not copied here: callers pass
// the core's catalog (AppInfo.catalog).
import type { EnvironmentKind, EnvironmentView } from "./backend/types";

export type Problem = { field: string; reason: string; hint: string };
export type Checked<T = string> = { ok: true; value: T } | { ok: false; problem: Problem };

export const EXAMPLE_GUID = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
export const SECRET_EXPIRY_WARNING_DAYS = 14;

const MAX_NAME_CHARS = 64;
const MAX_SECRET_CHARS = 1024;
const API_KEY_HEX_DIGITS = 32;

const INVISIBLE_HINT =
  "Invisible characters come with text copied from web pages, chats or documents: delete the value and copy it again from its source, or type it.";

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = <T = string>(field: string, reason: string, hint: string): Checked<T> => ({
  ok: false,
  problem: { field, reason, hint },
});

/** "license id is not valid: it is empty", as the Rust error's Display says it. */
export function describe(p: Problem): string {
  return `${p.field} is not valid: ${p.reason}`;
}

const QUOTES: [string, string][] = [
  ['"', '"'],
  ["'", "'"],
  ["`", "`"],
  ["\u201C", "\u201D"],
  ["\u2018", "\u2019"],
];

function stripPair(s: string, pairs: [string, string][]): string {
  for (const [open, close] of pairs) {
    if (s.length >= open.length + close.length && s.startsWith(open) && s.endsWith(close)) {
      return s.slice(open.length, s.length - close.length);
    }
  }
  return s;
}

// Rust's str::trim uses char::is_whitespace (Unicode White_Space); JS's trim is close enough
// for the characters a paste brings (spaces, tabs, CR/LF, no-break spaces).
/** Trims what a paste adds around a value: whitespace, then one wrapping pair of quotes. */
export function clean(input: string): string {
  return stripPair(input.trim(), QUOTES).trim();
}

const hex4 = (c: string) => (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");

function invisible(c: string): string | null {
  const n = c.codePointAt(0) ?? 0;
  if (n === 0x200b) return "zero-width space";
  if (n === 0x200c) return "zero-width non-joiner";
  if (n === 0x200d) return "zero-width joiner";
  if (n === 0x200e || n === 0x200f || n === 0x061c) return "text direction mark";
  if ((n >= 0x202a && n <= 0x202e) || (n >= 0x2066 && n <= 0x2069)) return "text direction control";
  if (n === 0xfeff) return "byte order mark";
  if (n === 0x2060) return "word joiner";
  if (n === 0x00ad) return "soft hyphen";
  if (
    n === 0x034f ||
    n === 0x115f ||
    n === 0x1160 ||
    n === 0x17b4 ||
    n === 0x17b5 ||
    (n >= 0x180b && n <= 0x180f) ||
    (n >= 0x2061 && n <= 0x2064) ||
    (n >= 0x206a && n <= 0x206f) ||
    n === 0x3164 ||
    (n >= 0xfe00 && n <= 0xfe0f) ||
    n === 0xffa0 ||
    (n >= 0xfff9 && n <= 0xfffb) ||
    (n >= 0xe0000 && n <= 0xe0fff)
  )
    return "invisible formatting character";
  return null;
}

const isControl = (n: number) => n <= 0x1f || (n >= 0x7f && n <= 0x9f);
const isWhitespace = (c: string) => /\s/u.test(c);

/** Refuses empty values and characters a person cannot see; names code and position only. */
function checkChars(field: string, s: string, hint: string, spacesAllowed = false): Problem | null {
  if (s.length === 0) return { field, reason: "it is empty", hint };
  let pos = 0;
  for (const c of s) {
    pos += 1;
    const n = c.codePointAt(0) ?? 0;
    let reason: string | null = null;
    if (c === "\n" || c === "\r" || n === 0x85 || n === 0x2028 || n === 0x2029) {
      reason = `it contains a line break at character ${pos}; paste a single value on one line`;
    } else if (c === " ") {
      if (spacesAllowed) continue;
      reason = `it contains a space at character ${pos}`;
    } else if (c === "\t") {
      reason = `it contains a tab at character ${pos}`;
    } else if (isWhitespace(c)) {
      reason = `it contains a whitespace character (U+${hex4(c)}) at character ${pos}`;
    } else if (isControl(n)) {
      reason = `it contains a control character (U+${hex4(c)}) at character ${pos}`;
    } else {
      const what = invisible(c);
      if (what) {
        return {
          field,
          reason: `it contains an invisible character (U+${hex4(c)}, ${what}) at character ${pos}`,
          hint: `${INVISIBLE_HINT} ${hint}`,
        };
      }
      continue;
    }
    return { field, reason, hint };
  }
  return null;
}

const isHex = (c: string) => /^[0-9a-fA-F]$/.test(c);

function isGuidShaped(s: string): boolean {
  return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s);
}

function hasHexRun(s: string, min: number): boolean {
  let run = 0;
  for (const c of s) {
    run = isHex(c) ? run + 1 : 0;
    if (run >= min) return true;
  }
  return false;
}

function guid(field: string, input: string, hint: string): Checked {
  const s = stripPair(clean(input), [["{", "}"]]).trim();
  const p = checkChars(field, s, hint);
  if (p) return { ok: false, problem: p };
  const chars = [...s];
  if (chars.length === API_KEY_HEX_DIGITS && chars.every(isHex)) {
    return bad(field, "it is 32 hex digits without hyphens, which is what an API key looks like, not an id", hint);
  }
  if (chars.length !== 36) {
    return bad(field, `it has ${chars.length} characters; a GUID has 36 (32 hex digits in groups 8-4-4-4-12)`, hint);
  }
  for (let i = 0; i < chars.length; i++) {
    const wantHyphen = i === 8 || i === 13 || i === 18 || i === 23;
    if (wantHyphen && chars[i] !== "-") {
      return bad(field, `character ${i + 1} should be a hyphen (8-4-4-4-12)`, hint);
    }
    if (!wantHyphen && !isHex(chars[i])) {
      return bad(field, `character ${i + 1} ('${chars[i]}') is not a hex digit (0-9, a-f)`, hint);
    }
  }
  return ok(s.toLowerCase());
}

export const licenseId = (input: string) =>
  guid(
    "license id",
    input,
    `A license id looks like 8-4-4-4-12 hex digits, e.g. ${EXAMPLE_GUID}; copy it from the portal: Configurations > Features and Quotas.`,
  );

export const accountId = (input: string) =>
  guid(
    "account id",
    input,
    `An account id looks like 8-4-4-4-12 hex digits, e.g. ${EXAMPLE_GUID}; copy it from the portal: Configurations > Cloud Accounts.`,
  );

export const appId = (input: string) =>
  guid(
    "API application id",
    input,
    `An API application id looks like 8-4-4-4-12 hex digits, e.g. ${EXAMPLE_GUID}; copy it from the portal: Configuration > Cloudneeti API Access, where it is shown once the application is created.`,
  );

const API_KEY_HINT =
  "Copy the Primary key from the API portal: Username > Profile > Show > Primary key (32 hex digits). If your key really has another format, tick \u201CAllow any format\u201D.";

/** An API (subscription) key: 32 hex digits, or 8 to 256 printable ASCII with allowAnyFormat. */
export function apiKey(input: string, allowAnyFormat: boolean): Checked {
  const field = "API key";
  const s = clean(input);
  const p = checkChars(field, s, API_KEY_HINT);
  if (p) return { ok: false, problem: p };
  const chars = [...s];
  if (allowAnyFormat) {
    if (chars.length < 8 || chars.length > 256) {
      return bad(field, `it has ${chars.length} characters; a key of any format needs 8 to 256`, API_KEY_HINT);
    }
    const pos = chars.findIndex((c) => !/^[\x21-\x7e]$/.test(c));
    if (pos >= 0) return bad(field, `character ${pos + 1} is not a printable ASCII character`, API_KEY_HINT);
    return ok(s);
  }
  if (isGuidShaped(s)) {
    return bad(
      field,
      "it has the 8-4-4-4-12 shape of a license or application id, not that of an API key (32 hex digits, no hyphens)",
      API_KEY_HINT,
    );
  }
  if (chars.length !== API_KEY_HEX_DIGITS) {
    return bad(field, `it has ${chars.length} characters; an API key has ${API_KEY_HEX_DIGITS} hex digits`, API_KEY_HINT);
  }
  const pos = chars.findIndex((c) => !isHex(c));
  if (pos >= 0) return bad(field, `character ${pos + 1} is not a hex digit (0-9, a-f)`, API_KEY_HINT);
  return ok(s.toLowerCase());
}

/** An API application secret: 1 to 1024 characters, no whitespace or invisible characters. */
export function appSecret(input: string): Checked {
  const field = "API application secret";
  const hint =
    "Paste the secret exactly as the portal showed it when the application was created or its secret regenerated. If it was lost, regenerate it: Configuration > Cloudneeti API Access > Configure App > Regenerate Secret Key > Confirm.";
  const s = clean(input);
  const p = checkChars(field, s, hint);
  if (p) return { ok: false, problem: p };
  const len = [...s].length;
  if (len > MAX_SECRET_CHARS) return bad(field, `it has ${len} characters; at most ${MAX_SECRET_CHARS} are accepted`, hint);
  return ok(s);
}

function name(field: string, input: string): Checked {
  const hint =
    "Use 1 to 64 letters (a-z, A-Z), digits, '-', '_' or '.', starting with a letter or digit, e.g. contoso-prod.";
  const s = clean(input);
  const p = checkChars(field, s, hint);
  if (p) return { ok: false, problem: p };
  const chars = [...s];
  if (chars.length > MAX_NAME_CHARS) {
    return bad(field, `it has ${chars.length} characters; at most ${MAX_NAME_CHARS} are accepted`, hint);
  }
  const i = chars.findIndex((c) => !/^[A-Za-z0-9._-]$/.test(c));
  if (i >= 0) return bad(field, `character ${i + 1} ('${chars[i]}') is not a letter, digit, '-', '_' or '.'`, hint);
  if (!/^[A-Za-z0-9]/.test(s)) return bad(field, "it must start with a letter or digit", hint);
  if (hasHexRun(s, API_KEY_HEX_DIGITS)) {
    return bad(field, "it contains 32 or more hex digits in a row, which looks like an API key, not a name", hint);
  }
  return ok(s);
}

export const profileName = (input: string) => name("profile name", input);
export const keyName = (input: string) => name("API key name", input);

function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === "localhost") return true;
  if (/^127\.\d+\.\d+\.\d+$/.test(h)) return true;
  return h === "[::1]";
}

/** A custom environment's address: https, or http for this computer only; returned normalised. */
export function baseUrl(input: string): Checked {
  const field = "base URL";
  const hint =
    "Give the API's address as https://host[:port][/path], e.g. https://api.cloudneeti.com. Plain http is accepted only for this computer (e.g. http://127.0.0.1:8080, as the local emulator uses).";
  const s = clean(input);
  const p = checkChars(field, s, hint);
  if (p) return { ok: false, problem: p };
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return bad(field, "it is not a web address", hint);
  }
  const scheme = url.protocol.replace(/:$/, "");
  if (scheme === "http" && !isLoopback(url.hostname)) {
    return bad(
      field,
      "plain http would send the API key unencrypted; it is only accepted for this computer (localhost, 127.0.0.1, ::1)",
      hint,
    );
  }
  if (scheme !== "https" && scheme !== "http") {
    return bad(field, `it starts with ${scheme}:, but only https:// is accepted`, hint);
  }
  if (!url.hostname) return bad(field, "it has no host name", hint);
  if (url.username || url.password) {
    return bad(field, "it contains a user name or password; credentials never go into the address", hint);
  }
  if (url.search || s.includes("?")) return bad(field, "it has a query (the part from '?'); give only the address", hint);
  if (url.hash || s.includes("#")) return bad(field, "it has a fragment (the part from '#'); give only the address", hint);
  return ok(url.href.replace(/\/+$/, ""));
}

/** PROD in either region: real customer data, shown in a warning colour. */
export const isProduction = (kind: EnvironmentKind) => kind === "prod" || kind === "prod1";

/** What the environment field takes: a known environment's name or an address; a known
 * service's address folds into its environment. `known` is the core's catalog. */
export function environment(input: string, known: EnvironmentView[]): Checked<{ kind: EnvironmentKind; value: string }> {
  const t = input.trim();
  const lower = t.toLowerCase();
  const named = known.find((e) => e.input === (lower === "production" ? "prod" : lower));
  if (named) return ok({ kind: named.kind, value: named.input });
  if (!t.includes("://")) {
    return bad(
      "environment",
      `it is not ${known.map((e) => e.input).join(", ")} or an address starting with https://`,
      "Pick an environment, or give the API's address, e.g. https://api.example.com.",
    );
  }
  const url = baseUrl(t);
  if (!url.ok) return url;
  const service = known.find((e) => e.baseUrl === url.value);
  if (service) return ok({ kind: service.kind, value: service.input });
  return ok({ kind: "custom", value: url.value });
}

export function secretExpiresOn(input: string): Checked<string | null> {
  const t = input.trim();
  if (t === "") return ok(null);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
  if (!m || !d || d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
    return bad(
      "secret expiry date",
      `"${t}" is not a date like 2027-03-31`,
      "Give the date the portal shows for the secret's expiry as YYYY-MM-DD.",
    );
  }
  return ok(t);
}

export function clipboardSeconds(input: string | number): Checked<number> {
  const n = Number(input);
  if (!Number.isInteger(n) || n < 5 || n > 600) {
    return bad(
      "clipboard delay",
      `${input} seconds is outside 5 to 600`,
      "Choose how long a copied token stays on the clipboard, from 5 seconds to 10 minutes.",
    );
  }
  return ok(n);
}

/** Days from the UTC day of `now` to a YYYY-MM-DD secret expiry date (negative: past): the
 * date is the secret's last day, to midnight UTC, as Profile::secret_expiry_warning counts. */
export function daysUntil(date: string, now: Date = new Date()): number {
  const [y, m, d] = date.split("-").map(Number);
  const target = Date.UTC(y, m - 1, d);
  const base = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((target - base) / 86_400_000);
}

/** The custom-address field: an https address (known services' addresses fold in as usual). */
export function customEnvironment(input: string, known: EnvironmentView[]): Checked<{ kind: EnvironmentKind; value: string }> {
  if (!input.trim()) {
    return bad("base URL", "it is empty", "Give the API's address as https://host[:port][/path], e.g. https://api.example.com.");
  }
  if (!input.includes("://")) {
    return bad("base URL", "it does not start with https://", "Give the API's address as https://host[:port][/path], e.g. https://api.example.com.");
  }
  return environment(input, known);
}
