/** Something that streams results until told to stop: a subscription's iterator. */
interface Stoppable {
  return(value?: undefined): Promise<unknown>;
}

/**
 * The subscriptions served over SSE and multipart, so that the drain can end each of them
 * cleanly (its transport then writes its closing event or boundary) instead of cutting the
 * connection at the grace period.
 */
export interface OpenStreams {
  /** Tracks a stream until `forget`; ended at once if the server is already draining. */
  track(stream: Stoppable): void;
  forget(stream: Stoppable): void;
  /** Ends every stream, and every later one as soon as it starts. */
  endAll(): void;
  readonly size: number;
}

export function createOpenStreams(): OpenStreams {
  const streams = new Set<Stoppable>();
  let ending = false;
  const stop = (stream: Stoppable) => {
    // An iterator whose return fails is already over: nothing more to end.
    stream.return().catch(() => {});
  };
  return {
    track(stream) {
      if (ending) stop(stream);
      else streams.add(stream);
    },
    forget(stream) {
      streams.delete(stream);
    },
    endAll() {
      ending = true;
      for (const stream of streams) stop(stream);
      streams.clear();
    },
    get size() {
      return streams.size;
    },
  };
}
