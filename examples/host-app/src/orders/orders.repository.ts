import { Injectable } from '@nestjs/common';

export interface Order {
  id: string;
  userId: string;
  status: 'placed' | 'shipped';
}

/** A fake order table: order 42 belongs to alice. */
@Injectable()
export class OrdersRepository {
  private readonly orders = new Map<string, Order>([
    ['42', { id: '42', userId: 'alice', status: 'placed' }],
    ['43', { id: '43', userId: 'bob', status: 'placed' }],
  ]);

  find(id: string): Order | undefined {
    return this.orders.get(id);
  }
}
