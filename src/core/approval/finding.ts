/** One finding of the approval decision: a stable code and a sentence a reviewer understands. */
export interface Finding<Code extends string> {
  readonly code: Code;
  readonly message: string;
}
