import { Kind, type ArgumentNode, type DirectiveNode } from 'graphql';

/** The labels Portico gives the `@defer`s of one filtered operation. */
export interface DeferLabels {
  /** `directives` with their `@defer` labelled by Portico, and that label (none without a `@defer`). */
  label(directives: readonly DirectiveNode[] | undefined): { directives: readonly DirectiveNode[] | undefined; label: string | undefined };
  /** The client's label behind each of Portico's that stands for one (a literal, non-empty label). */
  readonly clientLabels: ReadonlyMap<string, string>;
}

/**
 * Labels every `@defer` of a filtered operation, so that each deferred part names the fragment
 * it delivers: authorization puts a removal's null and error in the part of the fragment it was
 * removed from, which a part's path and the client's label cannot tell (two unlabeled `@defer`s
 * at one path). The planner gives the `@defer`s that share a label one part, and every other
 * `@defer` a part of its own: so each distinct client label gets one label here, and each
 * `@defer` without one (no label, `""`, or a variable, which the planner does not echo) its own,
 * and the parts are those the client's labels make. No client label is left in the document, so
 * none can collide with Portico's; `patchDeferredParts` puts the client's back.
 */
export function createDeferLabels(): DeferLabels {
  const clientLabels = new Map<string, string>();
  const byClientLabel = new Map<string, string>();
  let count = 0;
  const fresh = () => `portico__defer_${count++}`;
  return {
    clientLabels,
    label(directives) {
      const defer = directives?.find((directive) => directive.name.value === 'defer');
      if (!defer || !directives) return { directives, label: undefined };
      const own = defer.arguments?.find((argument) => argument.name.value === 'label')?.value;
      const client = own?.kind === Kind.STRING && own.value !== '' ? own.value : undefined;
      let label = client === undefined ? undefined : byClientLabel.get(client);
      if (label === undefined) {
        label = fresh();
        if (client !== undefined) {
          byClientLabel.set(client, label);
          clientLabels.set(label, client);
        }
      }
      const argument: ArgumentNode = { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'label' }, value: { kind: Kind.STRING, value: label } };
      const others = defer.arguments?.filter((existing) => existing.name.value !== 'label') ?? [];
      const labelled: DirectiveNode = { ...defer, arguments: [...others, argument] };
      return { directives: directives.map((directive) => (directive === defer ? labelled : directive)), label };
    },
  };
}
