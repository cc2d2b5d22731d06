import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import type { CancelSignal } from '../resilience/Cancellation.js';

export interface AddressGateOptions {
  /** Requests one address may have being processed at once (`rateLimit.perAddress.maxInFlight`); 0: no cap. */
  maxInFlight: number;
  /** The longest a request waits for its address's turn (`server.admission.queueTimeoutMs`); then 503 `OVERLOADED`. */
  waitTimeoutMs: number;
  /** Most requests of one address waiting at once; one more gets 503 `OVERLOADED`. @default 1024 */
  maxWaiting?: number;
}

export interface AddressGateState {
  /** Requests being processed now, past the gate, of every address. */
  inFlight: number;
  /** Requests waiting for their address's turn. */
  waiting: number;
}

export interface AddressGate {
  /**
   * Resolves, with its release, once `address` has fewer than `maxInFlight` requests being
   * processed; an address's requests go on in arrival order. The release must be called once the
   * request is done. Rejects with 503 `OVERLOADED` when the address already has `maxWaiting`
   * waiting or the wait outlasts `waitTimeoutMs`, and with the signal's reason when the client goes
   * away first (it then takes no turn).
   */
  enter(address: string, signal: CancelSignal): Promise<() => void>;
  /**
   * The gateway starts draining: every waiting request is refused now, and every later one that
   * would wait at once, with 503 `GATEWAY_STOPPING`, rather than waiting out `waitTimeoutMs`
   * (which may outlast the shutdown grace period, and the request be cut off unanswered).
   */
  drain(): void;
  state(): AddressGateState;
}

/** Whether `rateLimit` puts a gate in front of each address (`rateLimit.perAddress.maxInFlight`). */
export function addressGateOn(rateLimit: GatewayConfig['rateLimit'] | undefined): boolean {
  return rateLimit?.enabled === true && rateLimit.perAddress.maxInFlight > 0;
}

// Bounds the waiting requests of one address where connections do not (HTTP pipelining, or
// `maxConnections: 0`): each costs a parsed request and a timer.
const DEFAULT_MAX_WAITING = 1024;

interface AddressLine {
  inFlight: number;
  /** Waiting requests in arrival order (a Set iterates in insertion order); each admits itself. */
  waiting: Set<() => void>;
}

/**
 * Per-address concurrency: each client address may have at most `maxInFlight` requests being
 * processed at once, its further ones waiting their turn, unread, in arrival order. Where the
 * per-address rate limit bounds how many requests an address sends per window, this bounds how
 * many of them the gateway works on at once, so that an address sending all it is allowed in one
 * burst, or sending requests that each cost much, holds a bounded share of the event loop: every
 * other client's request meets at most `maxInFlight` of that address's in progress, whatever
 * that address keeps in flight. Queued, not refused, so a client that sends more at once than
 * its share (a browser's parallel requests, several users behind one NAT) is only served in turn.
 * Nothing is kept for an address with nothing in flight or waiting.
 */
export function createAddressGate(options: AddressGateOptions): AddressGate {
  const maxWaiting = options.maxWaiting ?? DEFAULT_MAX_WAITING;
  const lines = new Map<string, AddressLine>();
  // How each waiting request, of every address, is refused (by `drain`).
  const refusers = new Set<(error: HttpError) => void>();
  let draining = false;
  let inFlight = 0;
  let waiting = 0;

  const releaseOf = (address: string, line: AddressLine) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      inFlight -= 1;
      line.inFlight -= 1;
      const [next] = line.waiting;
      if (next) next();
      else if (line.inFlight === 0 && lines.get(address) === line) lines.delete(address);
    };
  };

  return {
    enter(address, signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (options.maxInFlight === 0) return Promise.resolve(() => {});
      let line = lines.get(address);
      if (!line) lines.set(address, (line = { inFlight: 0, waiting: new Set() }));
      const own = line;
      // No request waits while its address has a free place: a release hands its place to the
      // oldest waiting request at once, so a newer one never finds a free place before it.
      if (own.inFlight < options.maxInFlight) {
        own.inFlight += 1;
        inFlight += 1;
        return Promise.resolve(releaseOf(address, own));
      }
      if (draining) return Promise.reject(stopping());
      if (own.waiting.size >= maxWaiting) {
        return Promise.reject(
          overloaded(
            `This address has ${own.inFlight} requests being processed and ${own.waiting.size} waiting, as many as the gateway keeps (rateLimit.perAddress.maxInFlight); retry shortly`,
          ),
        );
      }
      return new Promise((resolve, reject) => {
        const settle = () => {
          own.waiting.delete(admit);
          refusers.delete(leave);
          waiting -= 1;
          clearTimeout(timeout);
          signal.removeEventListener('abort', onAbort);
        };
        // Called by a release of the same address: the slot passes to this request.
        const admit = () => {
          settle();
          own.inFlight += 1;
          inFlight += 1;
          resolve(releaseOf(address, own));
        };
        const leave = (error: unknown) => {
          settle();
          if (own.inFlight === 0 && own.waiting.size === 0 && lines.get(address) === own) lines.delete(address);
          reject(error);
        };
        const timeout = setTimeout(
          () =>
            leave(
              overloaded(
                `The request waited ${options.waitTimeoutMs} ms for its turn among this address's requests (rateLimit.perAddress.maxInFlight, server.admission.queueTimeoutMs); retry shortly`,
              ),
            ),
          options.waitTimeoutMs,
        );
        const onAbort = () => leave(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        own.waiting.add(admit);
        refusers.add(leave);
        waiting += 1;
      });
    },
    drain() {
      draining = true;
      for (const leave of [...refusers]) leave(stopping());
    },
    state: () => ({ inFlight, waiting }),
  };
}

// Answered before its body is read: `connection: close`, or Node would read and discard the
// body after the answer, outside every body limit (as it does for the held 429).
function overloaded(message: string): HttpError {
  return new HttpError(ErrorCode.OVERLOADED, message, { 'retry-after': '1', connection: 'close' });
}

/** Refused as the gateway drains: to be sent again, on a new connection (to another replica). */
function stopping(): HttpError {
  return new HttpError(
    ErrorCode.GATEWAY_STOPPING,
    'The gateway is stopping and no longer lets waiting requests of an address through (rateLimit.perAddress.maxInFlight); send it again',
    { connection: 'close' },
  );
}
