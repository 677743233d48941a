import { describe, expect, it } from "vitest";
import { describeSecretExpiry, formatCountdown, formatLocalDateTime, formatLocalTime, formatUtc } from "./time";

describe("countdown", () => {
  it("formats what is left, rounding up to the second", () => {
    expect(formatCountdown(300_000)).toBe("5 min 00 s");
    expect(formatCountdown(299_200)).toBe("5 min 00 s");
    expect(formatCountdown(299_000)).toBe("4 min 59 s");
    expect(formatCountdown(59_001)).toBe("1 min 00 s");
    expect(formatCountdown(59_000)).toBe("59 s");
    expect(formatCountdown(1)).toBe("1 s");
    expect(formatCountdown(3_723_000)).toBe("1 h 02 min 03 s");
    expect(formatCountdown(2 * 86_400_000 + 3 * 3_600_000 + 600_000)).toBe("2 d 03 h 10 min");
  });
  it("says expired at and after zero", () => {
    expect(formatCountdown(0)).toBe("expired");
    expect(formatCountdown(-5000)).toBe("expired");
    expect(formatCountdown(Number.NaN)).toBe("expired");
  });
});

describe("times", () => {
  it("UTC for the hover title", () => {
    expect(formatUtc("2026-03-04T05:06:07Z")).toBe("2026-03-04 05:06:07 UTC");
    expect(formatUtc("not a date")).toBe("not a date");
  });
  it("local time, with the date when it is not today", () => {
    const t = new Date(2026, 2, 4, 5, 6, 7);
    expect(formatLocalTime(t.toISOString(), new Date(2026, 2, 4, 23, 0))).toBe("05:06:07");
    expect(formatLocalTime(t.toISOString(), new Date(2026, 2, 5, 0, 1))).toBe("2026-03-04 05:06:07");
    expect(formatLocalDateTime(t.toISOString())).toBe("2026-03-04 05:06");
  });
  it("secret expiry in plain words", () => {
    expect(describeSecretExpiry(5)).toBe("The application secret expires in 5 days.");
    expect(describeSecretExpiry(1)).toBe("The application secret expires in 1 day.");
    expect(describeSecretExpiry(0)).toBe("The application secret expires today.");
    expect(describeSecretExpiry(-3)).toBe("The application secret expired 3 days ago.");
  });
});
