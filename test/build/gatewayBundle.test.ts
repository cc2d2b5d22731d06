import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { bundleImportName, compiledPath, leftOutModule } from '../../scripts/buildDist.js';

// The gateway's bundle as `npm run build` wrote it (Vitest's global setup has just built dist/).
const runtime = join(process.cwd(), 'dist/gateway/runtime');
const entry = readFileSync(join(process.cwd(), compiledPath('gateway/runtime/runGateway.ts')), 'utf8');
const bundleName = /"\.\/(runGateway-\w+\.cjs)"/.exec(entry)?.[1] ?? '';
const sources = (JSON.parse(readFileSync(join(runtime, `${bundleName}.map`), 'utf8')) as { sources: string[] }).sources;

/** The CommonJS exports of `text`, run in a context of its own. */
function exportsOf(text: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  runInNewContext(text, { module, Proxy, Error });
  return module.exports;
}

describe("the gateway's bundle", () => {
  it('holds stubs, not the packages, for what Apollo Gateway loads but Portico never has it run', () => {
    for (const left of [
      '@apollo/composition',
      '@opentelemetry/resource-detector-aws',
      '@opentelemetry/exporter-metrics-otlp-http',
      'make-fetch-happen',
      'node-fetch',
      'ts-graphviz',
    ]) {
      expect(sources.filter((source) => source.includes(`node_modules/${left}/`))).toEqual([]);
      expect(sources).toContain(`portico-left-out:${left}`);
    }
    // Nor the packages' modules that only do what Portico never asks of them: a Prometheus
    // Pushgateway client, Node's copy of undici (web fetch, cookies, WebSocket) beside the Pool.
    expect(sources).toContain('portico-left-out:./lib/pushgateway');
    expect(sources.filter((source) => source.includes('node_modules/prom-client/lib/pushgateway'))).toEqual([]);
    expect(sources.filter((source) => /node_modules\/undici\/(index\.js|lib\/web\/(cookies|websocket|eventsource)|lib\/mock)/.test(source))).toEqual([]);
    expect(sources).toContain('../../../node_modules/undici/lib/dispatcher/pool.js');
    // undici's HTTP/2 client (and with it node:http2): no pool of Portico's allows HTTP/2.
    expect(sources).toContain('portico-left-out:./client-h2.js');
    expect(sources.filter((source) => source.includes('node_modules/undici/lib/dispatcher/client-h2'))).toEqual([]);
    // Tracing's own OpenTelemetry packages (turned on by config) are the real ones.
    expect(sources.some((source) => source.includes('node_modules/@opentelemetry/exporter-trace-otlp-http/'))).toBe(true);
  });

  it('has stubs that say what was left out at the first use, and let Apollo build its unused fetcher', () => {
    const composition = exportsOf(leftOutModule('@apollo/composition'));
    expect(composition.__esModule).toBeUndefined();
    expect(() => composition.composeServices).toThrow("@apollo/composition is left out of Portico's gateway bundle");
    const fetchHappen = exportsOf(leftOutModule('make-fetch-happen')) as { defaults(): () => unknown };
    const fetcher = fetchHappen.defaults();
    expect(() => fetcher()).toThrow('make-fetch-happen is left out');
  });

  it('bundles pino, which starts workers from its own folder only for transports, which no logger of ours uses', () => {
    expect(sources.some((source) => source.includes('node_modules/pino/pino.js'))).toBe(true);
    const ours = ['gateway', 'common'].flatMap((folder) =>
      readdirSync(folder, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .map((file) => join(folder, file)),
    );
    const usingPino = ours.filter((file) => /from 'pino'/.test(readFileSync(file, 'utf8')));
    expect(usingPino).toContain(join('common', 'createLogger.ts'));
    expect(usingPino.filter((file) => /transport/.test(readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('is one file, ASCII, beside the entry that runs it with its code cache', () => {
    expect(entry).toContain("import { loadCachedBundle } from './loadCachedBundle.js';");
    const bytes = readFileSync(join(runtime, bundleName));
    expect(bytes.findIndex((byte) => byte > 0x7f)).toBe(-1);
    expect(readdirSync(runtime).filter((file) => file.endsWith('.cjs'))).toEqual([bundleName]);
  });

  it("has no import() of its own: each goes through the loader's function, so Node 20 keeps a code cache for it too", () => {
    const text = readFileSync(join(runtime, bundleName), 'latin1');
    expect(entry).toContain(`, ${JSON.stringify(bundleImportName)});`);
    expect(text.includes('import(')).toBe(false);
    // The OTLP exporter's `import("http")` and the policy module's import are among them.
    expect(text).toContain(`${bundleImportName}("http")`);
    expect(text).toMatch(new RegExp(`loadPolicyModule[^]{0,200}\\${bundleImportName}\\(`));
  });
});
