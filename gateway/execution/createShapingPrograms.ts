import type { SelectionNode } from 'graphql';
import { conditionVariablesOf } from '../operation/conditionVariablesOf.js';
import { compileShaping, type ShapingProgram, type ShapingSource } from './compileShaping.js';

/**
 * What picks a program: the shaping options of one request (see `ShapeOptions`), as a program is
 * compiled from them, but with the request's own variables (the program keeps only what the
 * directives read).
 */
export type ProgramRequest = ShapingSource;

/** The compiled shaping programs of one cached plan's operation (or of one of its deferred parts). */
export interface ShapingPrograms {
  /** The program for this request: compiled on the first request with these directive values, then reused. */
  programFor(shaping: ProgramRequest): ShapingProgram;
  /** The programs of one deferred part's subselection (the plan's own parsed copy, so the same array every time). */
  forPart(selections: readonly SelectionNode[]): ShapingPrograms;
}

// A program per combination of the directives' variable values, so at most 3^n of them for n
// variables: a client choosing new combinations gets a program compiled for its request alone
// past this many (no worse than shaping uncompiled), and never grows the plan.
const MAX_PROGRAMS = 16;
// Deferred parts are the plan's, not the client's, but a plan with very many still stays bounded.
const MAX_PARTS = 64;

/**
 * Where a cached plan keeps its operation's shaping programs (`compileShaping`), so that an
 * operation is compiled once per combination of the values its `@skip`, `@include` (and
 * `@defer`) variables take, and dropped with the plan: the plan cache's LRU is their bound.
 * The plan is cached by the operation's text, so every request that finds it sends the same
 * selections, whichever parse of that text it carries.
 */
export function createShapingPrograms(): ShapingPrograms {
  // The variables the directives read, in the order they appear: found on the first request.
  let conditions: readonly string[] | undefined;
  const programs = new Map<string, ShapingProgram>();
  const parts = new Map<readonly SelectionNode[], ShapingPrograms>();
  return {
    programFor(shaping) {
      conditions ??= conditionVariablesOf(shaping.selections, shaping.fragments);
      let key = shaping.withoutDeferred ? 'd' : 'n';
      for (const name of conditions) {
        const value = shaping.variables.get(name);
        key += value === true ? '1' : value === false ? '0' : '-';
      }
      let program = programs.get(key);
      if (program && program.schema === shaping.schema && program.typeNames === shaping.typeNames) return program;
      // Only what the directives read: the program outlives the request and must not hold its variables.
      const values = new Map<string, boolean>();
      for (const name of conditions) {
        const value = shaping.variables.get(name);
        if (typeof value === 'boolean') values.set(name, value);
      }
      program = compileShaping({
        schema: shaping.schema,
        selections: shaping.selections,
        fragments: shaping.fragments,
        variables: values,
        typeNames: shaping.typeNames,
        withoutDeferred: shaping.withoutDeferred === true,
      });
      if (programs.has(key) || programs.size < MAX_PROGRAMS) programs.set(key, program);
      return program;
    },
    forPart(selections) {
      let part = parts.get(selections);
      if (part) return part;
      part = createShapingPrograms();
      if (parts.size < MAX_PARTS) parts.set(selections, part);
      return part;
    },
  };
}
