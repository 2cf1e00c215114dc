/**
 * Who is calling, as the authorizer found them. The platform only carries it; the module
 * that supplies the Authorizer (identity) fills it in before the handler runs.
 */
export interface Actor {
  /** A user id, or an API key id when `kind` is 'api-key'. */
  id: string;
  kind: 'user' | 'api-key';
  /** The user's role; null for an API key. */
  role: string | null;
  permissions: ReadonlySet<string>;
  /** The session passed a second factor. */
  mfa: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on every route that needs a permission; null on public routes. */
    actor: Actor | null;
  }
}
