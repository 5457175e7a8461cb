let names = 0;
/** A name (room, user, session, node, token id) no other test, or earlier run against a shared server, has used. */
export const fresh = (kind: string) => `contract:${kind}.${process.pid}-${Date.now()}-${++names}`;
