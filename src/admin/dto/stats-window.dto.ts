import { ApiProperty } from '@nestjs/swagger';

export class StatsSeriesView {
  @ApiProperty({
    description:
      'connections, users (gauges); delivered, publishes (per second: message/direct/broadcast frames out, room.publish in); ' +
      'delivery_p50, delivery_p99 (seconds, publish to hand-off, per interval); terminations:<reason>, errors:<code>, closes:<code> (per second; ' +
      'the by-code series only when non-zero in the window)',
    example: 'delivered',
  })
  name!: string;

  @ApiProperty({ type: 'array', items: { type: 'number', nullable: true }, description: 'One per time; null: no value (no delivery in that interval)' })
  values!: (number | null)[];
}

export class StatsWindowView {
  @ApiProperty({ description: 'NODE_ID of the node that answered: the window is its own' }) node!: string;
  @ApiProperty({ description: 'Milliseconds between samples' }) intervalMs!: number;
  @ApiProperty({ description: 'Samples kept at most (the window is capacity x intervalMs long)' }) capacity!: number;
  @ApiProperty({ type: [Number], description: 'Sample times, milliseconds since the epoch, oldest first' }) times!: number[];
  @ApiProperty({ type: [StatsSeriesView] }) series!: StatsSeriesView[];
}
