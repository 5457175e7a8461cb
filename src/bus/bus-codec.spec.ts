import { CLASSIC_CHANNELS, channelNames, SHARDED_CHANNELS } from './bus-codec';

describe('bus-codec channel names', () => {
  it('keeps the classic names on one Redis and Sentinel', () => {
    expect([channelNames('single'), channelNames('sentinel')]).toEqual([CLASSIC_CHANNELS, CLASSIC_CHANNELS]);
    expect(CLASSIC_CHANNELS.interest('room', 'public:a')).toEqual(['rg:room:public:a', 'rg:ev:public:a']);
    expect(CLASSIC_CHANNELS.user('{u:x}:bob')).toBe('rg:user:{u:x}:bob');
    expect(CLASSIC_CHANNELS.parse('rg:user:{u:x}:bob')).toEqual({ kind: 'user', key: '{u:x}:bob' });
    expect([CLASSIC_CHANNELS.all, CLASSIC_CHANNELS.control, CLASSIC_CHANNELS.node('n1')]).toEqual(['rg:all', 'rg:ctl', 'rg:node:n1']);
  });

  it('shards the shared channels too on a Cluster, one slot each, so each keeps its publish order', () => {
    const shared = [SHARDED_CHANNELS.all, SHARDED_CHANNELS.control, SHARDED_CHANNELS.node('n1')];
    expect(shared).toEqual(['rg:{all}', 'rg:{ctl}', 'rg:node:{n1}']);
    expect(shared.map((channel) => SHARDED_CHANNELS.slotTag(channel))).toEqual(['{all}', '{ctl}', '{n1}']);
  });

  it('hash-tags room and user channels on a Cluster: a room\'s channels in its history keys\' slot, a user\'s in its tickets\' slot', () => {
    expect(channelNames('cluster')).toBe(SHARDED_CHANNELS);
    expect(SHARDED_CHANNELS.interest('room', 'public:a')).toEqual(['rg:room:{public:a}', 'rg:ev:{public:a}']);
    expect(SHARDED_CHANNELS.slotTag('rg:ev:{public:a}')).toBe('{public:a}');
    const user = SHARDED_CHANNELS.user('we}ird{id');
    expect(user).toMatch(/^rg:user:\{u:[\w-]{11}\}:we\}ird\{id$/);
    expect(SHARDED_CHANNELS.slotTag(user)).toMatch(/^\{u:[\w-]{11}\}$/);
  });

  it('parses back what it names, and nothing of a shared channel', () => {
    for (const names of [CLASSIC_CHANNELS, SHARDED_CHANNELS]) {
      expect(names.parse(names.room('r.1'))).toEqual({ kind: 'room', key: 'r.1' });
      expect(names.parse(names.roomEvent('r.1'))).toEqual({ kind: 'event', key: 'r.1' });
      expect(names.parse(names.user('we}ird{id'))).toEqual({ kind: 'user', key: 'we}ird{id' });
      for (const shared of [names.all, names.control, names.node('a')]) expect(names.parse(shared)).toBeUndefined();
    }
  });
});
