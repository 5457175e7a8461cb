import { Bus, BusListener, ControlMessage } from '../../src/bus/bus';
import { HistoryStore } from '../../src/history/history-store';
import { UserStreamStore } from '../../src/history/user-streams';
import { waitFor } from '../support/wait-for';
import { fresh } from './fresh';

/** One node's bus, with the history store its room messages come from. */
export interface BusNode {
  bus: Bus;
  history: HistoryStore;
  /** The user streams' store of the node (direct messages). */
  userStreams: UserStreamStore;
  /** What the bus logged (a throwing control handler, an undeliverable payload). */
  logged: string[];
  /** Resolves once the bus, after listen(), receives what is published. */
  listening(): Promise<void>;
}

export type BusNodeFactory = (nodeId: string) => Promise<BusNode>;

export type Heard = [method: keyof BusListener, ...args: unknown[]];

/** A BusListener that writes down every call. */
export class RecordingListener implements BusListener {
  readonly heard: Heard[] = [];
  roomMessage(room: string, offset: number, epoch: string, frame: Buffer): void {
    this.heard.push(['roomMessage', room, offset, epoch, Buffer.from(frame)]);
  }
  roomEvent(room: string, frame: Buffer, exceptSessionId?: string): void {
    this.heard.push(['roomEvent', room, Buffer.from(frame), exceptSessionId]);
  }
  userFrame(userId: string, frame: Buffer): void {
    this.heard.push(['userFrame', userId, Buffer.from(frame)]);
  }
  userMessage(userId: string, offset: number, epoch: string, frame: Buffer): void {
    this.heard.push(['userMessage', userId, offset, epoch, Buffer.from(frame)]);
  }
  allFrame(frame: Buffer): void {
    this.heard.push(['allFrame', Buffer.from(frame)]);
  }
  kick(sessionId: string, code?: number): void {
    this.heard.push(code === undefined ? ['kick', sessionId] : ['kick', sessionId, code]);
  }
  resubscribed(): void {
    this.heard.push(['resubscribed']);
  }
  /** Waits until `count` calls arrived, and returns them. */
  async next(count: number): Promise<Heard[]> {
    await waitFor(() => this.heard.length >= count, 3000);
    return this.heard.slice(0, count);
  }
}

/** Declares the node's interest in a room or user and waits until the bus receives it (at once in memory). */
export async function interested(bus: Bus, kind: 'room' | 'user', key: string): Promise<void> {
  bus.interest(kind, key);
  await bus.subscribed(kind, key);
}

/** Every byte value, the payload separator `|` included, and invalid UTF-8. */
export const ALL_BYTES = Buffer.from([...Array.from({ length: 256 }, (_, i) => i), 0x7c, 0xff, 0xfe, 0x7c]);

/** Opens a node whose listener and control handler record what reaches them. */
export async function listeningNode(factory: BusNodeFactory, nodeId = fresh('node')) {
  const node = await factory(nodeId);
  const listener = new RecordingListener();
  const control: ControlMessage[] = [];
  node.bus.listen(listener);
  node.bus.onControl((message) => control.push(message));
  await node.listening();
  return { ...node, nodeId, listener, control };
}

/**
 * The Bus contract (see bus.ts), on the sender's own node (the Redis spec adds other nodes):
 * - roomEvent, toUser and toAll reach the sender's own listener, the frame byte for byte (every
 *   byte value, `|` included), `exceptSessionId` as given and undefined when not given.
 * - kick reaches the listener of the node it names, and no other.
 * - A message stored by the node's history store and handed to messageStored reaches roomMessage
 *   with its room, offset, epoch and frame, in offset order; a direct message stored in a user's
 *   stream and handed to userMessageStored reaches userMessage the same way.
 * - control reaches every control handler, the sender's included, as an equal JSON value; a
 *   handler that throws keeps the message from no other handler, is logged, and the call resolves.
 * - Each kind of delivery keeps its call order.
 * - Rooms and users reach the node once it declared interest (interest, then subscribed resolved).
 */
export function describeBusContract(name: string, factory: BusNodeFactory): void {
  describe(`Bus contract: ${name}`, () => {
    it('hands a room event to the sender\'s own node, frame byte for byte, with or without an excepted session', async () => {
      const node = await listeningNode(factory);
      const room = fresh('room');
      await interested(node.bus, 'room', room);
      await node.bus.roomEvent(room, ALL_BYTES, 'session-1');
      await node.bus.roomEvent(room, Buffer.from('{"type":"typing"}'));
      expect(await node.listener.next(2)).toEqual([
        ['roomEvent', room, ALL_BYTES, 'session-1'],
        ['roomEvent', room, Buffer.from('{"type":"typing"}'), undefined],
      ]);
    });

    it('hands a user frame and an all frame to the sender\'s own node, byte for byte', async () => {
      const node = await listeningNode(factory);
      const user = fresh('user');
      await interested(node.bus, 'user', user);
      await node.bus.toUser(user, ALL_BYTES);
      await node.listener.next(1);
      await node.bus.toAll(Buffer.from('|all|'));
      expect(await node.listener.next(2)).toEqual([
        ['userFrame', user, ALL_BYTES],
        ['allFrame', Buffer.from('|all|')],
      ]);
    });

    it('delivers a kick to the node it names only', async () => {
      const node = await listeningNode(factory);
      const [elsewhere, here] = [fresh('session'), fresh('session')];
      await node.bus.kick(fresh('other-node'), elsewhere);
      await node.bus.kick(node.nodeId, here);
      await node.bus.kick(node.nodeId, here, 4000);
      await node.listener.next(2);
      await node.bus.toAll(Buffer.from('marker'));
      expect(await node.listener.next(3)).toEqual([['kick', here], ['kick', here, 4000], ['allFrame', Buffer.from('marker')]]);
    });

    it('keeps the publish order of broadcasts, of kicks and of control messages', async () => {
      const node = await listeningNode(factory);
      const sessions = Array.from({ length: 20 }, () => fresh('session'));
      const controls: string[] = [];
      node.bus.onControl((message) => controls.push(message.type === 'remove-member' ? message.userId : ''));
      for (const [i, session] of sessions.entries()) {
        await node.bus.toAll(Buffer.from(String(i)));
        await node.bus.kick(node.nodeId, session);
        await node.bus.control({ type: 'remove-member', room: 'r', userId: session });
      }
      const heard = await node.listener.next(2 * sessions.length);
      expect(heard.filter(([kind]) => kind === 'allFrame').map(([, frame]) => String(frame))).toEqual(sessions.map((_, i) => String(i)));
      expect(heard.filter(([kind]) => kind === 'kick').map(([, session]) => session)).toEqual(sessions);
      await waitFor(() => controls.length === sessions.length, 5000);
      expect(controls).toEqual(sessions);
    });

    it('delivers stored room messages with their offset, epoch and frame, in offset order', async () => {
      const node = await listeningNode(factory);
      const room = fresh('room');
      await interested(node.bus, 'room', room);
      const stored = [];
      for (let i = 0; i < 20; i++) {
        const message = await node.history.append(room, { room, messageId: `m${i}`, from: 'alice', body: { i, text: 'a|b' }, ts: Date.now() });
        node.bus.messageStored(room, message);
        stored.push(message);
      }
      expect(await node.listener.next(20)).toEqual(stored.map(({ data, frame }) => ['roomMessage', room, data.offset, data.epoch, frame]));
      expect(stored.map((m) => m.data.offset)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it("delivers a user's stored direct messages with their offset, epoch and frame, in offset order", async () => {
      const node = await listeningNode(factory);
      const user = fresh('user');
      await interested(node.bus, 'user', user);
      const stored = [];
      for (let i = 0; i < 20; i++) {
        const message = await node.userStreams.append(user, { from: 'alice', body: { i, text: 'a|b' }, messageId: `d${i}`, ts: Date.now() });
        node.bus.userMessageStored(user, message);
        stored.push(message);
      }
      expect(await node.listener.next(20)).toEqual(stored.map(({ data, frame }) => ['userMessage', user, data.offset, data.epoch, frame]));
      expect(stored.map((m) => m.data.offset)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('hands control messages to every handler of the sender\'s node, as equal JSON values, in order', async () => {
      const node = await listeningNode(factory);
      const second: ControlMessage[] = [];
      node.bus.onControl((message) => second.push(message));
      const messages: ControlMessage[] = [
        { type: 'revoke', userId: fresh('user'), jti: 'j|1', untilMs: Date.now() + 60_000 },
        { type: 'revoke', jti: fresh('jti'), untilMs: 1 },
        { type: 'remove-member', room: fresh('room'), userId: 'bob' },
      ];
      for (const message of messages) await node.bus.control(message);
      await waitFor(() => second.length === 3, 3000);
      expect(node.control).toEqual(messages);
      expect(second).toEqual(messages);
    });

    it('keeps a throwing control handler from neither the other handlers nor the sender, and logs it', async () => {
      const node = await listeningNode(factory);
      const after: ControlMessage[] = [];
      node.bus.onControl(() => {
        throw new Error('handler failed');
      });
      node.bus.onControl((message) => after.push(message));
      const message: ControlMessage = { type: 'remove-member', room: fresh('room'), userId: 'carol' };
      await expect(node.bus.control(message)).resolves.toBeUndefined();
      await waitFor(() => after.length === 1 && node.logged.length === 1, 3000);
      expect(node.control).toEqual([message]);
      expect(after).toEqual([message]);
    });
  });
}
