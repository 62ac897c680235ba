import type { AuthenticationType, AuthHandlerMiddleware, NextAuthHandler } from 'ssh2';
import type { UsableKey } from './private-key.js';

/** What the authentication did: the methods tried and the methods the server said it allows. */
export interface AuthRecord {
  tried: string[];
  methods: string[] | undefined;
}

interface Credentials {
  user: string;
  password: string | undefined;
  key: UsableKey | undefined;
}

/** Keyboard-interactive rounds answered with the password; PAM asks once, a few more rounds
 * (an info message, a retry) are tolerated, then the answers stop. */
const MAX_KEYBOARD_ROUNDS = 3;

/** An ssh2 auth handler: asks "none" first to learn the server's methods, then tries the key,
 * the password, and keyboard-interactive (answered with the password) when the server allows
 * only that. Records what it tried so that a failure can say so. */
export function createAuthHandler(
  credentials: Credentials,
  record: AuthRecord,
): AuthHandlerMiddleware {
  let started = false;
  const candidates = planMethods(credentials);
  return (
    methodsLeft: AuthenticationType[] | null,
    _partial: boolean | null,
    next: NextAuthHandler,
  ) => {
    if (methodsLeft) record.methods = [...methodsLeft];
    if (!started) {
      started = true;
      return next({ type: 'none', username: credentials.user });
    }
    const allowed = (method: string): boolean => !record.methods || record.methods.includes(method);
    const method = candidates.find((m) => !record.tried.includes(m) && usable(m, allowed));
    // ssh2 takes `false` as "no more methods", which its type declarations leave out.
    if (!method) return (next as unknown as (done: false) => void)(false);
    record.tried.push(method);
    next(authMethod(method, credentials));
  };
}

function planMethods(credentials: Credentials): string[] {
  const methods: string[] = [];
  if (credentials.key) methods.push('publickey');
  if (credentials.password !== undefined) methods.push('password', 'keyboard-interactive');
  return methods;
}

function usable(method: string, allowed: (method: string) => boolean): boolean {
  // Keyboard-interactive is the fallback for servers that take passwords only that way.
  if (method === 'keyboard-interactive') return allowed(method) && !allowed('password');
  return allowed(method);
}

function authMethod(method: string, credentials: Credentials): Parameters<NextAuthHandler>[0] {
  const username = credentials.user;
  const password = credentials.password ?? '';
  if (method === 'publickey') return { type: 'publickey', username, key: credentials.key!.parsed };
  if (method === 'password') return { type: 'password', username, password };
  let rounds = 0;
  return {
    type: 'keyboard-interactive',
    username,
    prompt: (_name, _instructions, _lang, prompts, finish) => {
      rounds += 1;
      finish(prompts.map(() => (rounds <= MAX_KEYBOARD_ROUNDS ? password : '')));
    },
  };
}
