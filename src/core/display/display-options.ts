/** Default bound, in characters (code points), on one displayed value: its text and cut marker. */
export const VALUE_MAX_LENGTH = 200;
/** Default bound for a message: a sentence for people that embeds values (logs, Events, reasons). */
export const MESSAGE_MAX_LENGTH = 320;
/** GitHub refuses label names longer than this. */
export const LABEL_MAX_LENGTH = 50;
/** The smallest bound honoured: anything lower (or not a number) is raised to this. */
export const MIN_MAX_LENGTH = 40;
/** A name's code point note (" (non-ASCII: U+0430, ...)") is never longer than this. */
export const NAME_NOTE_MAX_LENGTH = 80;

export interface DisplayOptions {
  /**
   * At most this many characters (code points) of the value's display, including the "… N more
   * characters" marker when the value is cut. Default VALUE_MAX_LENGTH; at least MIN_MAX_LENGTH.
   */
  readonly maxLength?: number;
  /**
   * The value is a name (CN, O, SAN, username, group, ...): when it holds non-ASCII characters,
   * their code points follow it (" (non-ASCII: U+0430)"), so a Cyrillic "а" in "аdmin" stands
   * out. The note comes after the bound, and is at most NAME_NOTE_MAX_LENGTH characters.
   */
  readonly name?: boolean;
}

/** The bound to apply: an integer no smaller than MIN_MAX_LENGTH. */
export function boundOf(options: DisplayOptions | undefined, fallback: number): number {
  const asked = options?.maxLength ?? fallback;
  return Number.isFinite(asked) ? Math.max(MIN_MAX_LENGTH, Math.floor(asked)) : fallback;
}
