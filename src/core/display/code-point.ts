/** "U+200B": the Unicode notation of a code point, upper-case hex, at least four digits. */
export function codePointNotation(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** 3800 -> "3,800": digits grouped by thousands, the same on every machine (no locale). */
export function groupDigits(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
