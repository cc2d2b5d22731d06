/**
 * A result already serialised to JSON (a subscription event's payload, made once for every
 * client of it): the stream writers frame its text as it is instead of serialising it again.
 */
export class JsonText {
  constructor(readonly text: string) {}

  /** The JSON of `value`: its text when it is a JsonText, else `JSON.stringify(value)` (throws as that does). */
  static of(value: unknown): string {
    return value instanceof JsonText ? value.text : JSON.stringify(value);
  }
}
