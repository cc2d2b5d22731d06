import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../gateway/config/loadGatewayConfig.js';
import { readManifest } from '../../gateway/traffic/readManifest.js';
import { webClientHeaders } from '../../web/webClientHeaders.js';

// The web client as docker-compose.yml deploys it: its own image (web/Dockerfile, nginx with the
// production build) behind HAProxy on the gateways' origin, and gateways that run its manifest only.
interface Service {
  build?: { context: string; dockerfile: string };
  image?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  command?: string[];
}
const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, Service> };
const web = compose.services.web!;
const dockerfile = readFileSync('web/Dockerfile', 'utf8');
const [build, runtime] = dockerfile.split(/^(?=FROM )/m).filter((stage) => stage.startsWith('FROM ')) as [string, string];

describe('the web client in docker-compose.yml', () => {
  it('is built by web/Dockerfile: Node builds it with npm run build:web, the official nginx image serves only the files', () => {
    expect(web.build).toEqual({ context: '.', dockerfile: 'web/Dockerfile' });
    expect(build).toMatch(/^FROM node:26\.\d+\.\d+-[a-z]+-slim AS build$/m);
    expect(build).toMatch(/^RUN npm run build:web$/m);
    expect(JSON.parse(readFileSync('package.json', 'utf8')).scripts['build:web']).toBe('vite build --config web/vite.config.ts');
    expect(runtime).toMatch(/^FROM nginx:\d+\.\d+-alpine$/m);
    expect(runtime.split('\n')).toContain('COPY --from=build /app/web/dist /usr/share/nginx/html');
    for (const match of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm))
      for (const path of match[1]!.split(' ')) expect(existsSync(path), `${path} exists`).toBe(true);
  });

  it('serves on the port HAProxy sends it to, checked by its health check, publishing nothing itself', () => {
    const listen = /^\s*listen (\d+);$/m.exec(readFileSync('web/nginx.conf', 'utf8'))![1];
    expect(compose.services.lb!.environment?.PORTICO_WEB_DNS).toBe(`web:${listen}`);
    expect(web.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${listen}/`);
    expect(compose.services.lb!.depends_on?.web).toEqual({ condition: 'service_healthy' });
    expect(web.ports).toBeUndefined();
    // HAProxy keeps the gateway's paths for the gateways.
    expect(readFileSync('deploy/haproxy.cfg', 'utf8')).toMatch(/use_backend web if !gateway_path/);
  });

  it('sends web/webClientHeaders.ts (the policy the browser tests run the build with) from every location of nginx.conf', () => {
    const conf = readFileSync('web/nginx.conf', 'utf8');
    const locations = [...conf.matchAll(/^\s*location [^{]+\{([^}]*)\}/gm)].map((match) => match[1]!);
    expect(locations.length).toBeGreaterThan(0);
    for (const location of locations) {
      const added = new Map(
        [...location.matchAll(/^\s*add_header (\S+) (?:"([^"]*)"|(\S+)) always;$/gm)].map((match) => [match[1]!.toLowerCase(), match[2] ?? match[3]!]),
      );
      for (const [name, value] of Object.entries(webClientHeaders)) expect(added.get(name.toLowerCase()), `${name} in ${location}`).toBe(value);
    }
  });

  it("has gateways that run only the web client's operations, from the manifest in their image", () => {
    const gateway = compose.services.gateway!;
    const command = gateway.command!;
    const config = loadGatewayConfig({
      file: command[command.indexOf('--config') + 1]!,
      env: {
        REDIS_URL: 'redis://redis:6379',
        PORTICO_SIGNING_SECRET: 'stand-in-signing-secret-0123456789',
        PORTICO_JWT_SECRET: 'stand-in-jwt-secret-0123456789',
      },
      overrides: { supergraphPath: 'schema/supergraph.graphql' },
    });
    expect(config.trustedDocuments.mode).toBe('require');
    const manifest = 'web/src/generated/persisted-documents.json';
    expect(config.trustedDocuments.manifest).toMatch(new RegExp(`${manifest.replace(/\./g, '\\.')}$`));
    expect(readManifest(manifest).byId.size).toBeGreaterThan(0);
    expect(readFileSync('Dockerfile', 'utf8').split('\n')).toContain(`COPY ${manifest} ./${manifest}`);
    // The page is on the gateways' origin (HAProxy), which their CORS allows anyway.
    expect(config.server.cors.origins).toContain('https://localhost');
  });
});
