import { useMutation } from '@apollo/client/react';
import { type FormEvent, useId, useState } from 'react';
import { describeError, type ErrorDescription } from '../errors/describeError';
import { ErrorNotice } from '../errors/ErrorNotice';
import { graphql } from '../generated';
import { useSession } from '../session/SessionProvider';
import { addReviewToProduct } from './addReviewToProduct';

const CreateReviewMutation = graphql(`
  mutation CreateReview($input: CreateReviewInput!) {
    createReview(input: $input) {
      id
      body
      rating
      author {
        id
        name
      }
    }
  }
`);

/**
 * Writing a review. Anyone sees the form; the gateway decides who may post (`@authenticated`),
 * and its `UNAUTHENTICATED` becomes "please sign in" with a link, rather than the form hiding
 * what it is for.
 */
export function ReviewForm({ upc }: { upc: string }) {
  const { token } = useSession();
  const [body, setBody] = useState('');
  const [rating, setRating] = useState(5);
  const [problem, setProblem] = useState<ErrorDescription | null>(null);
  const [posted, setPosted] = useState(false);
  const [createReview, { loading }] = useMutation(CreateReviewMutation, {
    errorPolicy: 'all',
    // On the author's page at once; other visitors get it from the reviewAdded subscription.
    update: (cache, { data }) => {
      if (data?.createReview) addReviewToProduct(cache, upc, data.createReview);
    },
  });
  const ids = { body: useId(), rating: useId() };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setPosted(false);
    try {
      const result = await createReview({ variables: { input: { productUpc: upc, body: body.trim(), rating } } });
      // errorPolicy 'all': the gateway's errors (UNAUTHENTICATED for a signed-out visitor) come back here.
      if (result.error || !result.data?.createReview) {
        setProblem(describeError(result.error));
        return;
      }
      setBody('');
      setPosted(true);
    } catch (error) {
      setProblem(describeError(error));
    }
  };

  return (
    <form className="review-form" onSubmit={submit} aria-labelledby={`${ids.body}-heading`}>
      <h2 id={`${ids.body}-heading`}>Write a review</h2>
      {!token && (
        <p className="muted">
          You are not signed in. <a href="#/sign-in">Sign in</a> to post a review.
        </p>
      )}
      <label htmlFor={ids.body}>Your review</label>
      <textarea id={ids.body} value={body} onChange={(event) => setBody(event.target.value)} required maxLength={2000} rows={3} />
      <label htmlFor={ids.rating}>Rating</label>
      <select id={ids.rating} value={rating} onChange={(event) => setRating(Number(event.target.value))}>
        {[5, 4, 3, 2, 1].map((stars) => (
          <option key={stars} value={stars}>
            {stars} {stars === 1 ? 'star' : 'stars'}
          </option>
        ))}
      </select>
      <button type="submit" disabled={loading || body.trim() === ''}>
        {loading ? 'Posting…' : 'Post review'}
      </button>
      {problem && <ErrorNotice description={problem} />}
      {posted && (
        <p className="notice notice-ok" role="status">
          Thanks! Your review is posted.
        </p>
      )}
    </form>
  );
}
