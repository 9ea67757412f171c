import { Gauge, type Registry } from 'prom-client';

/** `carebeat_tickets_overdue`: open tickets past their 24 h, counted when /metrics is scraped. */
export function registerTicketMetrics(registry: Registry, countOverdue: () => Promise<number>): void {
  if (registry.getSingleMetric('carebeat_tickets_overdue')) return;
  new Gauge({
    name: 'carebeat_tickets_overdue',
    help: 'Open complaint tickets not answered within 24 hours',
    registers: [registry],
    async collect() {
      this.set(await countOverdue());
    },
  });
}
