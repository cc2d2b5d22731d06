import { EventEmitter } from 'node:events';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import type { ServiceProcess } from '../../../common/process/handleStopSignals.js';
import { runService, type StartedService } from '../../../common/process/runService.js';

/** A stand-in for `process`: signals are emitted on it, and `exit` records the code instead of exiting. */
function fakeProcess(options: { ipc?: boolean } = {}) {
  const events = new EventEmitter();
  const exits: number[] = [];
  const exited = new Promise<number>((resolve) => events.once('test:exit', resolve));
  const proc = Object.assign(events, {
    exit: (code: number) => {
      exits.push(code);
      events.emit('test:exit', code);
    },
    send: options.ipc ? () => true : undefined,
  });
  return { proc: proc as unknown as ServiceProcess, emit: (event: string, ...args: unknown[]) => events.emit(event, ...args), exits, exited };
}

/** A logger whose lines the test reads. */
function recordingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as { level: number; msg: string }) });
  return { logger, messages: () => lines.map((line) => line.msg) };
}

/** A service whose stop waits until the test lets it finish. */
function controllableService() {
  const order: string[] = [];
  let finishStop: (outcome?: Error) => void = () => undefined;
  const service: StartedService = {
    announce: () => order.push('announce'),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        order.push('stop');
        finishStop = (outcome) => (outcome ? reject(outcome) : resolve());
      }),
  };
  return { service, order, finishStop: (outcome?: Error) => finishStop(outcome) };
}

describe('runService', () => {
  it('announces once the signals are handled, then on SIGTERM stops and exits 0', async () => {
    const { proc, emit, exits, exited } = fakeProcess();
    const { logger, messages } = recordingLogger();
    const { service, order, finishStop } = controllableService();
    await runService({ logger, process: proc, start: async () => service });
    expect(order).toEqual(['announce']);
    expect(EventEmitter.listenerCount(proc as unknown as EventEmitter, 'SIGTERM')).toBe(1);

    emit('SIGTERM', 'SIGTERM');
    expect(order).toEqual(['announce', 'stop']);
    expect(exits).toEqual([]);
    finishStop();
    expect(await exited).toBe(0);
    expect(messages()).toEqual(['SIGTERM: draining requests in flight, then stopping', 'stopped']);
  });

  it('stops once on SIGINT then SIGTERM (Ctrl-C under `portico dev` brings both)', async () => {
    const { proc, emit, exits, exited } = fakeProcess();
    const { service, order, finishStop } = controllableService();
    await runService({ logger: recordingLogger().logger, process: proc, start: async () => service });
    emit('SIGINT', 'SIGINT');
    emit('SIGTERM', 'SIGTERM');
    expect(order).toEqual(['announce', 'stop']);
    finishStop();
    expect(await exited).toBe(0);
    expect(exits).toEqual([0]);
  });

  it('exits 1 at once on the same signal twice, without waiting for the stop', async () => {
    const { proc, emit, exits } = fakeProcess();
    const { logger, messages } = recordingLogger();
    const { service } = controllableService();
    await runService({ logger, process: proc, start: async () => service });
    emit('SIGINT', 'SIGINT');
    emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([1]);
    expect(messages()).toContain('SIGINT again: exiting without waiting for requests in flight');
  });

  it('exits 1 when the stop fails, and says so', async () => {
    const { proc, emit, exited } = fakeProcess();
    const { logger, messages } = recordingLogger();
    const { service, finishStop } = controllableService();
    await runService({ logger, process: proc, start: async () => service });
    emit('SIGTERM', 'SIGTERM');
    finishStop(new Error('a client would not close'));
    expect(await exited).toBe(1);
    expect(messages()).toContain('did not stop cleanly');
  });

  it('stops when asked for another reason (a cluster primary), once', async () => {
    const { proc, emit, exited } = fakeProcess();
    const { logger, messages } = recordingLogger();
    const { service, order, finishStop } = controllableService();
    const running = await runService({ logger, process: proc, start: async () => service });
    running!.stopFor('asked by the cluster primary');
    emit('SIGTERM', 'SIGTERM');
    expect(order).toEqual(['announce', 'stop']);
    finishStop();
    expect(await exited).toBe(0);
    expect(messages()[0]).toBe('asked by the cluster primary: draining requests in flight, then stopping');
  });

  it('stops when the parent that holds its IPC channel goes away', async () => {
    const { proc, emit, exited } = fakeProcess({ ipc: true });
    const { service, order, finishStop } = controllableService();
    await runService({ logger: recordingLogger().logger, process: proc, start: async () => service });
    emit('disconnect');
    expect(order).toEqual(['announce', 'stop']);
    finishStop();
    expect(await exited).toBe(0);
  });

  it('exits 1 when it cannot start, with the message and no stack, and announces nothing', async () => {
    const { proc, exits } = fakeProcess();
    const { logger, messages } = recordingLogger();
    const running = await runService({ logger, process: proc, start: () => Promise.reject(new Error("PORT must be an integer, got 'eighty'")) });
    expect(running).toBeUndefined();
    expect(exits).toEqual([1]);
    expect(messages()).toEqual(["could not start: PORT must be an integer, got 'eighty'"]);
    expect(EventEmitter.listenerCount(proc as unknown as EventEmitter, 'SIGTERM')).toBe(0);
  });

  it('leaves the start failure to the service to report when it says how', async () => {
    const { proc, exits } = fakeProcess();
    const report = vi.fn();
    const failure = new Error('no supergraph');
    await runService({ logger: recordingLogger().logger, process: proc, reportStartFailure: report, start: () => Promise.reject(failure) });
    expect(report).toHaveBeenCalledWith(failure);
    expect(exits).toEqual([1]);
  });

  it.each(['uncaughtException', 'unhandledRejection'])('logs an error nobody caught (%s) and exits 1 without draining', async (event) => {
    const { proc, emit, exits } = fakeProcess();
    const { logger, messages } = recordingLogger();
    const { service, order } = controllableService();
    await runService({ logger, process: proc, start: async () => service });
    emit(event, new Error('a bug'));
    expect(exits).toEqual([1]);
    expect(order).toEqual(['announce']);
    expect(messages()).toEqual(['uncaught error: exiting']);
  });
});
