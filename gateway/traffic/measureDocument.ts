import { Kind, type DocumentNode, type SelectionNode, type SelectionSetNode, visit } from 'graphql';
import { createFragmentMemo } from '../operation/createFragmentMemo.js';
import { fragmentsOf } from '../operation/fragmentsOf.js';

/** What `limits` constrains, measured over a parsed document. */
export interface DocumentMeasures {
  /** Deepest field nesting of any operation, fragments expanded. */
  depth: number;
  /** Aliased fields of the operation with the most, fragments expanded (a fragment spread twice counts twice). */
  aliases: number;
  /** Root fields of the operation with the most. */
  rootFields: number;
  /** Directives written anywhere in the document. */
  directives: number;
  /**
   * Fields of the operation with the most, fragments expanded (a fragment spread twice counts
   * twice): what validation, planning and authorization would walk. It can pass 2 ** 53 (it is
   * then no longer exact, and may be `Infinity`), which only ever makes it larger than a limit.
   */
  expandedFields: number;
  /** `@defer`red fragments of the operation with the most, fragments expanded (each spread counts): the parts it can answer in. */
  deferredFragments: number;
}

interface Shape {
  depth: number;
  aliases: number;
  fields: number;
  defers: number;
}

const leaf: Shape = { depth: 0, aliases: 0, fields: 0, defers: 0 };
const deferCount = (selection: SelectionNode) => (selection.directives?.some((directive) => directive.name.value === 'defer') ? 1 : 0);

/**
 * Measures a document in one pass per fragment: each fragment's shape is computed once and
 * reused wherever it is spread, so a document that spreads fragments exponentially is measured
 * in linear time, and a fragment cycle (which validation rejects later) ends the walk instead of
 * looping.
 */
export function measureDocument(document: DocumentNode): DocumentMeasures {
  const fragments = fragmentsOf(document);
  const shapes = createFragmentMemo(fragments, leaf);
  const rootCounts = createFragmentMemo(fragments, 0);

  const shapeOf = (selectionSet: SelectionSetNode): Shape => {
    let depth = 0;
    let aliases = 0;
    let fields = 0;
    let defers = 0;
    for (const selection of selectionSet.selections) {
      let inner: Shape;
      if (selection.kind === Kind.FIELD) {
        const child = selection.selectionSet ? shapeOf(selection.selectionSet) : leaf;
        inner = { depth: child.depth + 1, aliases: child.aliases + (selection.alias ? 1 : 0), fields: child.fields + 1, defers: child.defers };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = shapeOf(selection.selectionSet);
      } else {
        inner = shapes(selection.name.value, (fragment) => shapeOf(fragment.selectionSet));
      }
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
      fields += inner.fields;
      defers += inner.defers + deferCount(selection);
    }
    return { depth, aliases, fields, defers };
  };

  const rootFieldCount = (selectionSet: SelectionSetNode): number =>
    selectionSet.selections.reduce((count, selection) => {
      if (selection.kind === Kind.FIELD) return count + 1;
      if (selection.kind === Kind.INLINE_FRAGMENT) return count + rootFieldCount(selection.selectionSet);
      return count + rootCounts(selection.name.value, (fragment) => rootFieldCount(fragment.selectionSet));
    }, 0);

  const measures: DocumentMeasures = { depth: 0, aliases: 0, rootFields: 0, directives: 0, expandedFields: 0, deferredFragments: 0 };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const shape = shapeOf(definition.selectionSet);
    measures.depth = Math.max(measures.depth, shape.depth);
    measures.aliases = Math.max(measures.aliases, shape.aliases);
    measures.expandedFields = Math.max(measures.expandedFields, shape.fields);
    measures.deferredFragments = Math.max(measures.deferredFragments, shape.defers);
    measures.rootFields = Math.max(measures.rootFields, rootFieldCount(definition.selectionSet));
  }
  visit(document, {
    Directive() {
      measures.directives += 1;
    },
  });
  return measures;
}
