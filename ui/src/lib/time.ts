// Time formatting for token expiry and "stored on" dates: the user's local time on screen,
// UTC on hover (title attributes).

const pad = (n: number) => String(n).padStart(2, "0");

/** Time left as "4 min 05 s", "1 h 02 min 05 s", "2 d 03 h 10 min"; "expired" at or past zero. */
export function formatCountdown(msLeft: number): string {
  if (!Number.isFinite(msLeft) || msLeft <= 0) return "expired";
  // Round up: with 299.2 s left the token is valid for part of a 300th second.
  const total = Math.ceil(msLeft / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3_600);
  const m = Math.floor((total % 3_600) / 60);
  const s = total % 60;
  if (d > 0) return `${d} d ${pad(h)} h ${pad(m)} min`;
  if (h > 0) return `${h} h ${pad(m)} min ${pad(s)} s`;
  if (m > 0) return `${m} min ${pad(s)} s`;
  return `${s} s`;
}

/** "2025-11-29 15:04:05 UTC". */
export function formatUtc(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return (
    `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ` +
    `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} UTC`
  );
}

/** Local wall-clock time; the date is added when it is not today. */
export function formatLocalTime(iso: string, now: Date = new Date()): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const time = `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
  const sameDay =
    t.getFullYear() === now.getFullYear() && t.getMonth() === now.getMonth() && t.getDate() === now.getDate();
  return sameDay ? time : `${formatLocalDate(iso)} ${time}`;
}

/** Local date "2025-11-29". */
export function formatLocalDate(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
}

/** Local date and minute "2025-11-29 15:04", for "stored on" lines. */
export function formatLocalDateTime(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return `${formatLocalDate(iso)} ${pad(t.getHours())}:${pad(t.getMinutes())}`;
}

/** A token expiry as the portal's drop-down words it: "60 minutes", "4 hours", "24 hours". */
export function describeMinutes(minutes: number): string {
  if (minutes > 60 && minutes % 60 === 0) return `${minutes / 60} hours`;
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** Plain words for the secret-expiry reminder (days from ProfileView.secretExpiryWarningDays). */
export function describeSecretExpiry(days: number): string {
  if (days < 0) return `The application secret expired ${-days} day${days === -1 ? "" : "s"} ago.`;
  if (days === 0) return "The application secret expires today.";
  return `The application secret expires in ${days} day${days === 1 ? "" : "s"}.`;
}
