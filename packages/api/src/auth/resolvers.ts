import type { Context } from 'hono';
import type { Authorize } from './authorizer.ts';
import { fromContext, type Verdict } from './principal.ts';

/** Local server and tests: the authorizer runs in-process on every request, as middleware. */
export const authorizeInProcess =
  (authorize: Authorize) =>
  (c: Context): Promise<Verdict | null> =>
    authorize(c.req.header('authorization'));

/** AWS: API Gateway already ran the Lambda authorizer; its verdict arrives in the request context. */
export const principalFromLambdaContext = async (c: Context): Promise<Verdict | null> => {
  const event = (
    c.env as { event?: { requestContext?: { authorizer?: Record<string, unknown> } } } | undefined
  )?.event;
  return fromContext(event?.requestContext?.authorizer);
};
