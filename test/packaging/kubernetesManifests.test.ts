import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readSupergraphConfig } from '../../cli/compose/readSupergraphConfig.js';
import { loadGatewayConfig } from '../../gateway/config/loadGatewayConfig.js';

// No cluster runs on the build machines: the manifests are checked against the Kubernetes
// schemas (kubernetes-models, generated from Kubernetes' OpenAPI), and against each other.
const dir = 'deploy/kubernetes';
type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; [key: string]: unknown };

/** The model class of each kind the manifests use, by `apiVersion/kind`; validate() throws on a schema violation. */
const models: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

function read(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((document) => document.toJS() as Manifest);
}

function validate(manifest: Manifest): void {
  const Model = models[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Model) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(manifest as never).validate();
}

const kustomization = read('kustomization.yaml')[0] as unknown as { resources: string[] };
const applied = kustomization.resources.flatMap(read);
const example = read('secrets.example.yaml');
const only = <T>(kind: string): T & Manifest => {
  const found = applied.filter((manifest) => manifest.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0] as T & Manifest;
};
const deployment = only<{ spec: Deployment['spec'] }>('Deployment');
const pod = deployment.spec!.template.spec!;
const container = pod.containers[0]!;

describe('deploy/kubernetes', () => {
  it('lists every manifest in kustomization.yaml, except the example Secrets', () => {
    const files = readdirSync(dir).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml' && file !== 'secrets.example.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it('is valid against the Kubernetes schemas', () => {
    for (const manifest of [...applied, ...example]) expect(() => validate(manifest), `${manifest.kind} ${manifest.metadata.name}`).not.toThrow();
  });

  it('is checked for real: the validator refuses a Deployment with a mistake in it', () => {
    const broken = structuredClone(deployment) as Manifest & { spec: { replicas: unknown } };
    broken.spec.replicas = 'three';
    expect(() => validate(broken)).toThrow(/replicas must be integer/);
  });

  it('selects the gateway pods by the same labels everywhere', () => {
    const labels = deployment.spec!.template.metadata!.labels!;
    expect(labels).toMatchObject(deployment.spec!.selector.matchLabels!);
    const service = only<{ spec: { selector: Record<string, string> } }>('Service');
    expect(labels).toMatchObject(service.spec.selector);
    expect(labels).toMatchObject(only<{ spec: { selector: { matchLabels: Record<string, string> } } }>('PodDisruptionBudget').spec.selector.matchLabels);
    expect(only<{ spec: { scaleTargetRef: { kind: string; name: string } } }>('HorizontalPodAutoscaler').spec.scaleTargetRef).toMatchObject({
      kind: 'Deployment',
      name: deployment.metadata.name,
    });
    const policy = only<{ spec: { ingress: Array<{ from: Array<{ podSelector: { matchLabels: Record<string, string> } }> }> } }>('NetworkPolicy');
    expect(labels).toMatchObject(policy.spec.ingress[0]!.from[0]!.podSelector.matchLabels);
    expect(policy.spec.ingress).toHaveLength(1);
  });

  it('probes liveness on /health and readiness on /ready, with requests and limits', () => {
    expect(container.livenessProbe?.httpGet?.path).toBe('/health');
    expect(container.readinessProbe?.httpGet?.path).toBe('/ready');
    const named = new Set(container.ports!.map((port) => port.name));
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) expect(named).toContain(probe?.httpGet?.port);
    expect(container.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources?.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(deployment.spec!.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
  });

  it("mounts deploy/gateway.yaml itself, which loads with the Deployment's environment and gives a replica time to drain", () => {
    const configMap = only<{ data: Record<string, string> }>('ConfigMap');
    expect(configMap.data['gateway.yaml']).toBe(readFileSync('deploy/gateway.yaml', 'utf8'));
    const mount = container.volumeMounts!.find((volume) => volume.name === 'config')!;
    expect(pod.volumes!.find((volume) => volume.name === 'config')?.configMap?.name).toBe(configMap.metadata.name);
    const args = container.args!;
    expect(args[args.indexOf('--config') + 1]).toBe(`${mount.mountPath}/gateway.yaml`);

    // Each variable from a Secret that secrets.example.yaml describes (a stand-in value here).
    const secrets = new Map(example.map((secret) => [secret.metadata.name, (secret as unknown as { stringData: Record<string, string> }).stringData]));
    const env: Record<string, string> = {};
    for (const variable of container.env!) {
      const reference = variable.valueFrom?.secretKeyRef;
      if (reference) {
        expect(secrets.get(reference.name!)?.[reference.key!], `${variable.name}: ${reference.name}/${reference.key}`).toBeDefined();
        env[variable.name] = variable.name === 'REDIS_URL' ? 'redis://redis.invalid:6379' : `stand-in-${variable.name}-0123456789`;
      } else env[variable.name] = variable.value!;
    }
    const file = join(mkdtempSync(join(tmpdir(), 'portico-k8s-')), 'gateway.yaml');
    writeFileSync(file, configMap.data['gateway.yaml']!);
    const config = loadGatewayConfig({ file, env, overrides: { supergraphPath: 'schema/supergraph.graphql' } });
    expect(config.rateLimit.trustedProxies).toEqual(['10.0.0.0/8']);
    expect(config.server.cors.origins).toEqual(['https://app.example.com']);
    expect(config.subgraphSigning.secret).toBe(env.PORTICO_SIGNING_SECRET);
    expect((pod.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThan(config.server.drainDelayMs + config.server.shutdownGracePeriodMs);
  });

  it('routes the gateway to every subgraph of the supergraph config by Service name', () => {
    const args = container.args!;
    const routes = args.flatMap((word, index) => (args[index - 1] === '--subgraph-url' ? [word.split('=')[0]!] : []));
    expect(routes.sort()).toEqual(
      readSupergraphConfig('schema/supergraph.yaml')
        .subgraphs.map((subgraph) => subgraph.name)
        .sort(),
    );
  });
});
