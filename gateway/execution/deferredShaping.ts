import { isAbstractType, isObjectType, type GraphQLCompositeType } from 'graphql';
import type { DeferredShaping } from './executeDeferred.js';
import { typeAtQueryPath } from './placesOfDeferred.js';
import { shapeResponse, type ShapeOptions } from './shapeResponse.js';

/** How a deferred answer's payloads are shaped: the first without deferred fragments, each part by its subselection. */
export function deferredShaping(shaping: ShapeOptions): DeferredShaping {
  const { schema } = shaping;
  const typeAt = new Map<string, GraphQLCompositeType | undefined>();
  const isA = (typename: string, condition: string): boolean => {
    if (typename === condition) return true;
    const type = schema.getType(typename);
    const conditionType = schema.getType(condition);
    return isObjectType(type) && !!conditionType && isAbstractType(conditionType) && schema.isSubType(conditionType, type);
  };
  return {
    initial: (data) => shapeResponse(data, { ...shaping, withoutDeferred: true }),
    part(fetched, selections, queryPath) {
      // The runtime type when the fetched object names one, else the type the operation selects there.
      const named = typeof fetched.__typename === 'string' ? schema.getType(fetched.__typename) : undefined;
      let type: GraphQLCompositeType | undefined = isObjectType(named) ? named : undefined;
      if (!type) {
        const key = JSON.stringify(queryPath);
        if (!typeAt.has(key)) typeAt.set(key, typeAtQueryPath(schema, shaping.rootType, shaping.selections, shaping.fragments, queryPath));
        type = typeAt.get(key);
      }
      if (!type) return { data: null, errors: [] };
      return shapeResponse(fetched, {
        ...shaping,
        selections,
        rootType: type,
        ...(shaping.programs ? { programs: shaping.programs.forPart(selections) } : {}),
      });
    },
    isA,
  };
}
