import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { unsupportedInSubscription } from '../../../gateway/operation/unsupportedInSubscription.js';

const check = (source: string) => unsupportedInSubscription(parse(source));
const CONDITION = /cannot have @skip or @include/;
const DEFER = /@defer cannot be used in a subscription/;

describe('unsupportedInSubscription', () => {
  it('refuses @skip and @include on a root field, or on a fragment at the root, however deep the fragments go', () => {
    expect(check('subscription ($s: Boolean!) { reviewAdded @skip(if: $s) { id } }')).toMatch(CONDITION);
    expect(check('subscription { reviewAdded @include(if: true) { id } }')).toMatch(CONDITION);
    expect(check('subscription ($s: Boolean!) { ... @include(if: $s) { reviewAdded { id } } }')).toMatch(CONDITION);
    expect(check('subscription { ...A } fragment A on Subscription { ...B } fragment B on Subscription { reviewAdded @skip(if: false) { id } }')).toMatch(
      CONDITION,
    );
  });

  it('refuses @defer anywhere in a subscription, through fragments too', () => {
    expect(check('subscription { reviewAdded { id ... @defer { body } } }')).toMatch(DEFER);
    expect(check('subscription { reviewAdded { ...R } } fragment R on Review { id ...L } fragment L on Review { ... @defer(if: false) { body } }')).toMatch(
      DEFER,
    );
  });

  it('passes conditions below the root, queries and mutations with either, and fragment cycles without looping', () => {
    expect(check('subscription ($s: Boolean!) { reviewAdded { id body @skip(if: $s) } }')).toBeNull();
    expect(check('query ($s: Boolean!) { a @skip(if: $s) ... @defer { b } }')).toBeNull();
    expect(check('subscription { ...A } fragment A on Subscription { ...A reviewAdded { id } }')).toBeNull();
    expect(check('subscription { reviewAdded { ...R } } fragment R on Review { ...R id }')).toBeNull();
  });
});
