import type { FetchNode, PlanNode, ResponsePath } from '@apollo/query-planner';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { pathOfFetch } from '../resilience/pathOfFetch.js';
import type { SubgraphCaller, SubgraphClient, SubgraphResponse } from '../subgraphRequests/createSubgraphClient.js';
import { applyRewrites } from './applyRewrites.js';
import type { VariableValues } from './coercedVariablesOf.js';
import { collectEntities, pathsOfEntities, type ResultObject } from './collectEntities.js';
import type { TypeMatcher } from './compileRequires.js';
import { createRepresentationIndex } from './createRepresentationIndex.js';
import { mergeInto } from './mergeInto.js';
import type { PreparedPlan } from './preparePlan.js';
import type { ScheduledFetch } from './schedulePlan.js';
import { setOwnField } from './setOwnField.js';
import { isGraphQLError } from '../errors/isGraphQLError.js';

export interface PlanRun {
  plan: PreparedPlan;
  /** The client's variables, as sent (Apollo Gateway passes them on uncoerced too). */
  variables: Readonly<Record<string, unknown>>;
  /** The operation's coerced variables (`coercedVariablesOf`), for `Condition` nodes. */
  conditionValues: VariableValues;
  caller: SubgraphCaller;
  clientOf: (subgraph: string) => SubgraphClient | undefined;
  matches: TypeMatcher;
  /** Wraps each request to a subgraph (a tracing span, when tracing is on). */
  around?: <T>(subgraph: string, send: () => Promise<T>) => Promise<T>;
  /** A deferred part's plan, run into `data` (the tree its parts share); the plan's root node by default. */
  from?: PlanNode;
  data?: ResultObject;
  /** Told of each wave's fetches once they are done (a deferred part waits for those it depends on). */
  onWave?: (fetches: readonly FetchNode[]) => void;
  /** True once nobody wants the rest (the client of a deferred answer went away): no further wave starts. */
  stopped?: () => boolean;
}

/** One fetch made ready to send: the entities it fills and what it sends. */
interface ReadyFetch {
  scheduled: ScheduledFetch;
  entities: ResultObject[];
  /** Entity fetches: the distinct representations, and for each entity its representation (-1: none). */
  representations?: ResultObject[];
  representationOf?: number[];
  variables: Record<string, unknown>;
}

/**
 * Runs a query plan wave by wave (see `schedulePlan`): each wave's fetches go out together,
 * entity fetches to one subgraph merged into one request, each with its representations
 * de-duplicated. Results are merged into one tree, in place; subgraph errors get the paths of
 * the entities they concern. Resolves with the tree and the errors; never rejects for a
 * subgraph's failure.
 */
export async function executePlan(run: PlanRun): Promise<{ data: ResultObject; errors: GraphQLError[] }> {
  const data: ResultObject = run.data ?? Object.create(null);
  const errors: GraphQLError[] = [];
  const waves = run.plan.schedule((name) => run.conditionValues.get(name) === true, run.from);
  for (const wave of waves) {
    if (run.stopped?.()) break;
    const ready = wave.map((scheduled) => prepare(run, data, scheduled)).filter((fetch): fetch is ReadyFetch => fetch !== null);
    const bySubgraph = new Map<string, ReadyFetch[]>();
    for (const fetch of ready) {
      const name = fetch.scheduled.fetch.serviceName;
      const group = bySubgraph.get(name);
      if (group) group.push(fetch);
      else bySubgraph.set(name, [fetch]);
    }
    const sends: Promise<void>[] = [];
    for (const [name, group] of bySubgraph) {
      const entityFetches = group.filter((fetch) => fetch.representations !== undefined && fetch.scheduled.fetch.operationKind === 'query');
      const units = entityFetches.length > 1 ? unitsOf(run.plan, entityFetches) : [];
      const merged = units.length > 0 ? run.plan.merged(units.map((unit) => unit.members[0]!.scheduled.fetch)) : null;
      if (merged) {
        sends.push(sendMerged(run, data, errors, name, units, merged));
        for (const fetch of group) if (!entityFetches.includes(fetch)) sends.push(sendOne(run, data, errors, fetch));
      } else {
        for (const fetch of group) sends.push(sendOne(run, data, errors, fetch));
      }
    }
    await Promise.all(sends);
    run.onWave?.(wave.map((scheduled) => scheduled.fetch));
  }
  return { data, errors };
}

function prepare(run: PlanRun, data: ResultObject, scheduled: ScheduledFetch): ReadyFetch | null {
  const { fetch, path } = scheduled;
  const entities = collectEntities(data, path);
  if (entities.length === 0) return null;
  // Variable names are the client's: `__proto__` is defined as an own key, not assigned.
  const variables: Record<string, unknown> = {};
  for (const name of fetch.variableUsages ?? []) {
    if (Object.hasOwn(run.variables, name) && run.variables[name] !== undefined) setOwnField(variables, name, run.variables[name]);
  }
  if (!fetch.requires) return { scheduled, entities, variables };
  const project = run.plan.projector(fetch);
  const index = createRepresentationIndex();
  const build = (entity: ResultObject): ResultObject | null => {
    const representation = project(entity);
    if (!representation?.__typename) return null;
    applyRewrites(fetch.inputRewrites, representation, run.matches);
    return representation;
  };
  const { fields } = project;
  const representationOf = entities.map((entity) => {
    // Entities alike in the fields their representation is made of share it, unbuilt.
    if (fields) return index.addFields(entity, fields, build);
    const representation = build(entity);
    return representation === null ? -1 : index.add(representation);
  });
  if (index.representations.length === 0) return null;
  return { scheduled, entities, representations: index.representations, representationOf, variables };
}

async function sendOne(run: PlanRun, data: ResultObject, errors: GraphQLError[], ready: ReadyFetch): Promise<void> {
  const { fetch } = ready.scheduled;
  const client = run.clientOf(fetch.serviceName);
  try {
    if (!client) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
    const variables = ready.representations ? Object.assign({}, ready.variables, { representations: ready.representations }) : ready.variables;
    const request = { query: fetch.operation, operationName: fetch.operationName, variables, mutation: fetch.operationKind === 'mutation' };
    const send = () => client.send(request, run.caller);
    const response = await (run.around ? run.around(fetch.serviceName, send) : send());
    absorb(run, data, errors, ready, response.data, response.errors ?? [], '_entities');
  } catch (error) {
    errors.push(fetchFailure(error, ready));
  }
}

/**
 * Fetches of one wave and subgraph that ask the same of the same kind of entity (the same
 * operation at different paths) as one `_entities` call: their representations joined and
 * de-duplicated, so that the subgraph resolves each entity once.
 */
interface FetchUnit {
  members: ReadyFetch[];
  representations: ResultObject[];
  /** Per member, for each of its representations, the unit's. */
  indexOf: number[][];
}

function unitsOf(plan: PreparedPlan, fetches: readonly ReadyFetch[]): FetchUnit[] {
  const bySignature = new Map<string, ReadyFetch[]>();
  for (const fetch of fetches) {
    const signature = plan.signature(fetch.scheduled.fetch);
    const members = bySignature.get(signature);
    if (members) members.push(fetch);
    else bySignature.set(signature, [fetch]);
  }
  return [...bySignature.values()].map((members) => {
    if (members.length === 1) {
      const [only] = members as [ReadyFetch];
      return { members, representations: only.representations!, indexOf: [only.representations!.map((_, index) => index)] };
    }
    const index = createRepresentationIndex();
    const indexOf = members.map((member) => member.representations!.map((representation) => index.add(representation)));
    return { members, representations: index.representations, indexOf };
  });
}

async function sendMerged(
  run: PlanRun,
  data: ResultObject,
  errors: GraphQLError[],
  name: string,
  units: readonly FetchUnit[],
  merged: NonNullable<ReturnType<PreparedPlan['merged']>>,
): Promise<void> {
  const members = units.flatMap((unit) => unit.members);
  const variables: Record<string, unknown> = {};
  units.forEach((unit, index) => {
    // Not Object.assign: it would assign a variable named `__proto__` as the object's prototype.
    for (const member of unit.members) for (const name of Object.keys(member.variables)) setOwnField(variables, name, member.variables[name]);
    variables[merged.parts[index]!.variable] = unit.representations;
  });
  let response: SubgraphResponse;
  try {
    const client = run.clientOf(name);
    if (!client) throw new Error(`Couldn't find service with name "${name}"`);
    const send = () => client.send({ query: merged.query, operationName: merged.operationName, variables, mutation: false }, run.caller);
    response = await (run.around ? run.around(name, send) : send());
  } catch (error) {
    for (const member of members) errors.push(fetchFailure(error, member));
    return;
  }
  // One fetch's failure must not cost the others their data: when an `_entities` came back
  // without a list (its error nulled it, or the whole data), each fetch is sent on its own, so
  // that every fetch gets the answer and errors it would have had alone.
  const answered = response.data !== null && response.data !== undefined && merged.parts.every((part) => Array.isArray(response.data![part.alias]));
  if (!answered) {
    await Promise.all(members.map((member) => sendOne(run, data, errors, member)));
    return;
  }
  const byAlias = new Map(merged.parts.map((part, index) => [part.alias, index]));
  const errorsOf = units.map((): GraphQLFormattedError[] => []);
  for (const error of response.errors ?? []) {
    const index = typeof error.path?.[0] === 'string' ? byAlias.get(error.path[0]) : undefined;
    if (index === undefined) errors.push(subgraphError(error, name, undefined));
    else errorsOf[index]!.push(error);
  }
  units.forEach((unit, index) => {
    const { alias } = merged.parts[index]!;
    const answers = response.data![alias] as unknown[];
    unit.members.forEach((member, position) => {
      const local = unit.indexOf[position]!;
      // Each member sees its own `_entities`, and the errors on its own representations.
      const memberErrors = errorsOf[index]!.flatMap((error) => {
        const at = error.path?.[1];
        if (typeof at !== 'number') return position === 0 ? [error] : [];
        return local.flatMap((unitIndex, memberIndex) => (unitIndex === at ? [{ ...error, path: [alias, memberIndex, ...error.path!.slice(2)] }] : []));
      });
      absorb(run, data, errors, member, { _entities: local.map((unitIndex) => answers[unitIndex]) }, memberErrors, alias);
    });
  });
}

/** Merges one fetch's answer into the tree and records its errors with client paths. */
function absorb(
  run: PlanRun,
  data: ResultObject,
  errors: GraphQLError[],
  ready: ReadyFetch,
  received: Record<string, unknown> | null | undefined,
  subgraphErrors: readonly GraphQLFormattedError[],
  entitiesKey: string,
): void {
  const { fetch } = ready.scheduled;
  if (subgraphErrors.length > 0) {
    const pathOf = errorPathFor(data, ready, entitiesKey);
    for (const error of subgraphErrors) errors.push(...pathOf(error.path).map((errorPath) => subgraphError(error, fetch.serviceName, errorPath)));
  }
  if (received === null || received === undefined) return;
  if (!ready.representations) {
    applyRewrites(fetch.outputRewrites, received, run.matches);
    for (const entity of ready.entities) mergeInto(entity, received);
    return;
  }
  const entities = received._entities;
  if (!Array.isArray(entities)) {
    errors.push(new GraphQLError(`Expected "data._entities" in response to be an array`));
    return;
  }
  if (entities.length !== ready.representations.length) {
    errors.push(new GraphQLError(`Expected "data._entities" to contain ${ready.representations.length} elements`));
    return;
  }
  for (const entity of entities) if (entity && typeof entity === 'object') applyRewrites(fetch.outputRewrites, entity, run.matches);
  ready.entities.forEach((entity, index) => {
    const representation = ready.representationOf![index]!;
    const answer = representation === -1 ? undefined : (entities[representation] as ResultObject | null);
    if (!answer || typeof answer !== 'object') return;
    if (!answer.__typename) answer.__typename = entity.__typename;
    mergeInto(entity, answer);
  });
}

/**
 * Where a subgraph error of this fetch belongs in the client's response: for an entity fetch,
 * at every entity that sent the representation it names (`_entities.<i>`); for a root fetch,
 * under the fetch's path. Paths are worked out only when there are errors.
 */
function errorPathFor(data: ResultObject, ready: ReadyFetch, entitiesKey: string): (path: GraphQLFormattedError['path']) => (ResponsePath | undefined)[] {
  let entityPaths: ResponsePath[] | undefined;
  const { path } = ready.scheduled;
  return (errorPath) => {
    if (errorPath === undefined) return [undefined];
    if (ready.representations && typeof errorPath[1] === 'number') {
      entityPaths ??= pathsOfEntities(data, path);
      const matching = ready.representationOf!.flatMap((representation, index) => (representation === errorPath[1] ? [entityPaths![index] ?? []] : []));
      return (matching.length > 0 ? matching : [[]]).map((entityPath) => [...entityPath, ...errorPath.slice(2)]);
    }
    const rest = ready.representations && errorPath[0] === entitiesKey ? ['_entities', ...errorPath.slice(1)] : [...errorPath];
    return [[...path, ...rest]];
  };
}

/** A subgraph's GraphQL error as the client sees it: its message, the client path, `serviceName`. */
function subgraphError(error: GraphQLFormattedError, serviceName: string, path: ResponsePath | undefined): GraphQLError {
  const message = error.message || `Error while fetching subquery from service "${serviceName}"`;
  const code = error.extensions?.code ?? 'DOWNSTREAM_SERVICE_ERROR';
  return new GraphQLError(message, { ...(path ? { path } : {}), extensions: { ...error.extensions, code, serviceName } });
}

/** A fetch that got no GraphQL answer: its coded error, at the place its data would have gone. */
function fetchFailure(error: unknown, ready: ReadyFetch): GraphQLError {
  const { fetch, path } = ready.scheduled;
  const coded = isGraphQLError(error) ? error : new GraphQLError((error as Error).message ?? String(error), { originalError: error as Error });
  if (coded.path !== undefined) return coded;
  const at = pathOfFetch(fetch.operation, path);
  if (at === undefined) return coded;
  return new GraphQLError(coded.message, { path: at, originalError: coded.originalError ?? undefined, extensions: coded.extensions });
}
