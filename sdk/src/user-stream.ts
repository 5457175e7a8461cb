import type { DirectMessageData, StreamPosition } from './protocol';
import { isDuplicate, isPosition, newer } from './stream-position';

/**
 * The user's stream of `direct` frames (docs/protocol.md, section 10.1): de-duplication, and what a
 * recovery needs. After a welcome that announces the stream (`userStream`), a client that saw the
 * stream before asks for what it missed (`user.recover {since}`); live frames are held meanwhile,
 * then delivered with the replay in offset order, each once.
 */
export class UserStream {
  private delivered?: StreamPosition;
  private resume?: StreamPosition;
  private held?: DirectMessageData[];

  constructor(
    private readonly deliver: (message: DirectMessageData) => void,
    since?: StreamPosition,
  ) {
    if (isPosition(since)) this.resume = { offset: since.offset, epoch: since.epoch };
  }

  /** Where the next recovery starts: the newer of the last delivered message and the last position announced. */
  get position(): StreamPosition | undefined {
    return this.resume && { offset: this.resume.offset, epoch: this.resume.epoch };
  }

  /**
   * At each welcome: the `since` to recover from, or undefined when there is nothing to recover
   * (the stream was never seen, or nothing was missed, or the server announced no stream). While a
   * recovery is due, live frames are held until `recovered()`.
   */
  welcomed(userStream: StreamPosition | undefined): StreamPosition | undefined {
    this.held = undefined;
    if (!isPosition(userStream)) return undefined;
    const since = this.resume;
    if (!since || (since.epoch === userStream.epoch && since.offset === userStream.offset)) {
      this.resume = newer(since, userStream);
      return undefined;
    }
    this.held = [];
    return { offset: since.offset, epoch: since.epoch };
  }

  receive(message: DirectMessageData): void {
    if (this.held) this.held.push(message);
    else this.accept(message);
  }

  /** The recovery's ack (undefined: it failed): the held frames go out in offset order, without duplicates. */
  recovered(ack?: StreamPosition): void {
    const held = this.held ?? [];
    this.held = undefined;
    // The replay can follow live frames written before the server read user.recover.
    held.sort((a, b) => (a.epoch === b.epoch ? a.offset - b.offset : 0));
    for (const message of held) this.accept(message);
    if (isPosition(ack)) this.resume = newer(this.resume, ack);
  }

  private accept(message: DirectMessageData): void {
    if (isPosition(message)) {
      if (isDuplicate(this.delivered, message)) return;
      this.delivered = { offset: message.offset, epoch: message.epoch };
      this.resume = newer(this.resume, message);
    }
    this.deliver(message);
  }
}
