import { BullMqWebhookQueue } from '../../src/webhooks/webhook-queue.redis';
import { fresh } from './fresh';
import { redisClusterFixture } from './redis-cluster-fixture';
import { describeWebhookQueueContract } from './webhook-queue.contract';

const cluster = redisClusterFixture();

describeWebhookQueueContract(
  'BullMQ on Redis Cluster',
  (webhook, metrics) =>
    new BullMqWebhookQueue({ mode: 'cluster', nodes: [{ host: '127.0.0.1', port: cluster.setup().servers[0].port }] }, webhook, metrics, () => undefined, {
      name: fresh('webhooks').replace(/[:.]/g, '-'),
      countEveryMs: 50,
    }),
  { concurrent: true },
);
