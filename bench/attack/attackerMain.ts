// One attack of the "under attack" bench scenario, as a process of its own (see spawnAttacker).
// Says it is ready, waits for its orders over IPC, attacks until told to stop (or for at most
// `maxMs`), sends its tally and exits.
import type { AttackerCommand, AttackerMessage } from './spawnAttacker.js';
import { benchAttacks } from './benchAttacks.js';

const send = (message: AttackerMessage) => process.send?.(message);
const controller = new AbortController();

process.on('message', (command: AttackerCommand) => {
  if (command.type === 'stop') {
    controller.abort();
    return;
  }
  const attack = benchAttacks.find((candidate) => candidate.id === command.attack);
  if (!attack) throw new Error(`no attack ${command.attack}`);
  setTimeout(() => controller.abort(), command.maxMs).unref();
  const running = attack.run({ url: command.url, localAddress: command.localAddress, signal: controller.signal });
  send({ type: 'attacking' });
  void running.then((tally) => {
    send({ type: 'tally', tally });
    process.disconnect();
  });
});
process.once('disconnect', () => controller.abort());
send({ type: 'ready' });
