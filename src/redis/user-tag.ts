import { createHash } from 'node:crypto';

/**
 * The hash tag of a user's Redis keys and channel (`{u:<tag>}`): 11 base64url characters, 66 bits
 * of SHA-256 of the user id. It puts everything of one user in one slot of a Redis Cluster whatever
 * the user id holds (braces included), without showing the id in the URLs a ticket passes through.
 */
export const userTag = (userId: string): string => createHash('sha256').update(userId).digest('base64url').slice(0, 11);
