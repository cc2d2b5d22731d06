import type { RestSpec } from '../ScaffoldSpec.js';

/** `subgraphs/<name>/<name>Api.ts` for a REST service: the calls the subgraph makes, typed. */
export function restApiTemplate({ names, entity, baseUrl }: RestSpec): string {
  const { camel, pascal, name } = names;
  return `import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import type { CallOptions, RestClient } from '../kit/rest/createRestClient.js';
import { pathSegment } from '../kit/rest/pathSegment.js';

/** A ${entity} as the ${name} service returns it. Add the fields your service returns. */
export interface ${entity}Record {
  id: string;
  name?: string | null;
}

/** Most calls one request keeps in flight to the ${name} service: set it to what the service tolerates. */
export const ${camel}Concurrency = 16;

/** The ${name} REST service (${baseUrl}), as this subgraph uses it. */
export interface ${pascal}Api {
  /** One ${entity} by id: GET /{id}; null when the service answers 404, or no path can name the id. */
  byId(id: string, call: CallOptions): Promise<${entity}Record | null>;
}

export function create${pascal}Api(client: RestClient): ${pascal}Api {
  return {
    async byId(id, call) {
      try {
        // pathSegment encodes the id, and refuses ("", ".", "..") what would name another path.
        return await client.get<${entity}Record>(\`/\${pathSegment(id)}\`, call);
      } catch (error) {
        // A 404 (or an id no path can name) answers the question: there is no such ${entity}, and the field is null.
        if (error instanceof GraphQLError && error.extensions.code === ErrorCode.NOT_FOUND) return null;
        throw error;
      }
    },
  };
}
`;
}
