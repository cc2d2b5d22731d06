import { describeError, type ErrorDescription } from './describeError';

/** A failure, in words for a shopper, with the one thing that would help. */
export function ErrorNotice({ error, description }: { error?: unknown; description?: ErrorDescription }) {
  const { code, message, action } = description ?? describeError(error);
  return (
    <div className="notice notice-error" role="alert" data-code={code}>
      <p>{message}</p>
      {action === 'sign-in' && (
        <p>
          <a href="#/sign-in">Sign in</a>
        </p>
      )}
      {action === 'reload' && (
        <p>
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </p>
      )}
    </div>
  );
}
