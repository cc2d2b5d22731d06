/** The values of one client-chosen label that keep a series of their own. */
export interface FrequentValues {
  /** Counts one use of `value`; true when it is kept (reported as itself), false when it counts as `other`. */
  use(value: string): boolean;
}

// A value must be used this many times in a window to stay kept into the next one.
export const MIN_USES = 8;
// A window is this many uses per kept value: a kept value needs 1/8 of its fair share of the label's uses.
export const WINDOW_PER_VALUE = 64;
// Count-min sketch: rows, and counters per kept value in each row. With WINDOW_PER_VALUE / WIDTH_PER_VALUE = 4
// uses per counter on average, a flood of one-off values cannot push an unseen value's estimate to MIN_USES.
const DEPTH = 4;
const WIDTH_PER_VALUE = 16;

/**
 * Which values of one client-chosen label (operation name, client name or version) are reported as
 * themselves, at most `maxValues` at a time, chosen so that no client can freeze them. During a
 * window (WINDOW_PER_VALUE × maxValues uses) free places go to the first values seen, as before; at
 * the end of it, the kept values become the `maxValues` most used ones among those used at least
 * MIN_USES times in it, and the others are handed to `dropped` (their series are removed). Invented
 * names sent once each therefore last one window at most, while an operation clients keep using stays.
 * Uses are counted in a count-min sketch (fixed size) and, once a value reaches MIN_USES, exactly in a
 * map of at most WINDOW_PER_VALUE / MIN_USES × maxValues values (no more can reach it in one window).
 * Memory is O(maxValues); a use is O(1), plus a sort of that map once per window (amortised O(1)).
 */
export function createFrequentValues(maxValues: number, dropped: (value: string) => void): FrequentValues {
  const window = WINDOW_PER_VALUE * maxValues;
  const width = WIDTH_PER_VALUE * maxValues;
  const maxFrequent = Math.ceil(window / MIN_USES);
  const sketch = new Uint32Array(DEPTH * width);
  // Random per gateway, so that a client cannot compute names that collide.
  const seeds = Array.from({ length: DEPTH }, () => (Math.random() * 0x100000000) >>> 0);
  const frequent = new Map<string, number>();
  let kept = new Set<string>();
  let uses = 0;

  /** Counts `value` in the sketch and returns its estimated uses in this window. */
  const countInSketch = (value: string): number => {
    let estimate = Infinity;
    for (let row = 0; row < DEPTH; row += 1) {
      const index = row * width + (hash(value, seeds[row]!) % width);
      estimate = Math.min(estimate, (sketch[index] = sketch[index]! + 1));
    }
    return estimate;
  };

  /** Ends the window: the most used values that reached MIN_USES are kept, the others dropped. */
  const endWindow = (): void => {
    const next = new Set(
      [...frequent]
        .sort(([, a], [, b]) => b - a)
        .slice(0, maxValues)
        .map(([value]) => value),
    );
    const before = kept;
    kept = next;
    frequent.clear();
    sketch.fill(0);
    uses = 0;
    for (const value of before) if (!next.has(value)) dropped(value);
  };

  return {
    use(value) {
      const count = frequent.get(value);
      if (count !== undefined) frequent.set(value, count + 1);
      else {
        const estimate = countInSketch(value);
        if (estimate >= MIN_USES && frequent.size < maxFrequent) frequent.set(value, estimate);
      }
      uses += 1;
      // Before deciding, so that a value dropped now is not recorded into a series just removed.
      if (uses >= window) endWindow();
      return kept.has(value) || (kept.size < maxValues && kept.add(value) !== undefined);
    },
  };
}

/** FNV-1a of `value`'s UTF-16 code units, from `seed`. */
function hash(value: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < value.length; i += 1) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
