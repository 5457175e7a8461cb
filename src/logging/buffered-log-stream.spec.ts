import { BufferedLogStream } from './buffered-log-stream';

describe('BufferedLogStream', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const sinkOf = () => {
    const writes: string[] = [];
    return { writes, sink: { write: (data: string) => writes.push(data) } };
  };

  it('writes the lines of a burst together, in order, within the delay', () => {
    const { writes, sink } = sinkOf();
    const stream = new BufferedLogStream(sink, 1024, 50);
    for (let i = 0; i < 10; i++) stream.write(`{"n":${i}}\n`);
    expect(writes).toEqual([]);
    jest.advanceTimersByTime(49);
    expect(writes).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(writes).toEqual([Array.from({ length: 10 }, (_, i) => `{"n":${i}}\n`).join('')]);
    stream.close();
  });

  it('writes at once when the pending bytes reach the bound', () => {
    const { writes, sink } = sinkOf();
    const stream = new BufferedLogStream(sink, 100, 50);
    stream.write('a'.repeat(60));
    expect(writes).toHaveLength(0);
    stream.write('b'.repeat(60));
    expect(writes).toEqual(['a'.repeat(60) + 'b'.repeat(60)]);
    jest.advanceTimersByTime(100);
    expect(writes).toHaveLength(1);
    stream.close();
  });

  it('writes what is pending on close, and nothing when nothing is', () => {
    const { writes, sink } = sinkOf();
    const stream = new BufferedLogStream(sink, 1024, 50);
    stream.flush();
    expect(writes).toEqual([]);
    stream.write('x\n');
    stream.close();
    expect(writes).toEqual(['x\n']);
  });

  it('writes what is pending when the process exits', () => {
    const { writes, sink } = sinkOf();
    const stream = new BufferedLogStream(sink, 1024, 50);
    stream.write('last words\n');
    process.emit('exit', 0);
    expect(writes).toEqual(['last words\n']);
    stream.close();
  });
});
