// The TopkeError a test expects a call to fail with. Any other error is thrown on as it is, so
// that the test fails showing it; a call that does not fail fails the test too.
import { TopkeError } from '../../main/contract/errors.js';

function accepted(what: string): Error {
  return new Error(`${what} was accepted where a TopkeError was expected`);
}

/** The TopkeError `run` throws. */
export function thrown(run: () => unknown, what = 'the call'): TopkeError {
  try {
    run();
  } catch (err) {
    if (err instanceof TopkeError) return err;
    throw err;
  }
  throw accepted(what);
}

/** The TopkeError `pending` rejects with. */
export async function rejection(pending: Promise<unknown>, what = 'the call'): Promise<TopkeError> {
  try {
    await pending;
  } catch (err) {
    if (err instanceof TopkeError) return err;
    throw err;
  }
  throw accepted(what);
}
