import { Command, InvalidArgumentError } from 'commander';
import { developmentSecrets } from '../../common/developmentSecrets.js';

interface TokenOptions {
  sub?: string;
  scope: string[];
  claim: Record<string, string>;
  expiresIn: number;
  secret?: string;
  issuer?: string;
  audience?: string;
}

/** `portico token`: a development JWT the gateway accepts, signed with the development secret. */
export function tokenCommand(): Command {
  const command: Command = new Command('token');
  return (
    command
      .description('Mint a development token (HS256) for the gateway, signed with PORTICO_JWT_SECRET or the development secret.')
      // Checked in the action, not with requiredOption: commander checks required options before
      // unknown ones, so a mistyped --sbu would be answered "--sub not specified", not "did you mean --sub?".
      .option('--sub <subject>', 'required: the caller, the token\'s "sub" claim (a user id, e.g. 7)')
      .option('--scope <scope>', 'a scope to grant, e.g. catalog:write (repeatable)', collect, [])
      .option('--claim <name=value>', 'another claim, e.g. role=staff (repeatable; JSON values stay typed)', claimPair, {})
      .option('--expires-in <seconds>', 'lifetime in seconds', positiveInteger, 3600)
      .option('--secret <secret>', 'the HS256 secret (default: PORTICO_JWT_SECRET, else the development secret)')
      .option('--issuer <iss>', 'the "iss" claim, when the gateway checks issuers')
      .option('--audience <aud>', 'the "aud" claim, when the gateway checks audiences')
      .action(async (options: TokenOptions) => {
        if (options.sub === undefined) command.error("error: required option '--sub <subject>' not specified");
        const secret = options.secret ?? process.env.PORTICO_JWT_SECRET ?? developmentSecrets.jwt;
        if (secret === developmentSecrets.jwt && process.env.NODE_ENV === 'production') {
          throw new Error('refusing to mint with the development secret when NODE_ENV=production; pass --secret or set PORTICO_JWT_SECRET.');
        }
        // Loaded here, so that other commands (and --help) do not pay for loading jsonwebtoken.
        const { mintToken } = await import('../token/mintToken.js');
        const token = mintToken({
          subject: options.sub,
          scopes: options.scope,
          claims: options.claim,
          secret,
          expiresInSeconds: options.expiresIn,
          issuer: options.issuer,
          audience: options.audience,
        });
        process.stdout.write(`${token}\n`);
        if (process.stderr.isTTY) {
          process.stderr.write(
            `\nSend it as the header   Authorization: Bearer ${token.slice(0, 12)}…\n(in the Apollo Sandbox: the Headers tab, or the connection settings' shared headers)\n`,
          );
        }
      })
  );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function claimPair(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at < 1) throw new InvalidArgumentError('a claim is name=value, e.g. role=staff.');
  const name = value.slice(0, at);
  if (['sub', 'scope', 'exp', 'iat', 'iss', 'aud'].includes(name)) throw new InvalidArgumentError(`set "${name}" with its own option, not --claim.`);
  return { ...previous, [name]: value.slice(at + 1) };
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('a whole number of seconds, at least 1.');
  return number;
}
