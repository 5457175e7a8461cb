import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { MetricsWindow } from '../metrics/metrics-window';
import { AdminApi } from './admin-api.decorator';
import { StatsWindowView } from './dto/stats-window.dto';

/**
 * The admin dashboard's charts: the answering node's last 15 minutes (MetricsWindow), so a reload
 * shows them at once. Each node keeps its own; the page combines the nodes it hears from.
 */
@AdminApi('admin: stats')
@Controller('admin/stats/window')
export class StatsWindowController {
  constructor(private readonly samples: MetricsWindow) {}

  @Get()
  @ApiOperation({ summary: "This node's gauges, rates and delivery quantiles, one sample every 5 s for the last 15 minutes" })
  @ApiOkResponse({ type: StatsWindowView })
  window(): StatsWindowView {
    return this.samples.snapshot();
  }
}
