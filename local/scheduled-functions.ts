/**
 * EventBridge schedules do not exist on a laptop: the runtime reads each enabled `AWS::Events::Rule` of the template
 * with a `rate(...)` schedule whose target is a Lambda function of the app, and invokes that function on that rate,
 * with the event EventBridge sends (or the target's `Input`). A `cron(...)` schedule is not run: a warning says so.
 */
import { randomUUID } from 'crypto';
import { findFunction, findResources, FunctionDefinition, referencedLogicalId, StackArtifact } from './cloud-assembly';

/** A function of the template that a schedule invokes. */
export interface ScheduledFunction {
  readonly function: FunctionDefinition;
  readonly ruleLogicalId: string;
  readonly everyMs: number;
  /** The target's `Input` (a JSON text), when the rule gives one instead of the scheduled event. */
  readonly input?: string;
}

const RATE = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/;
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** The interval of a `rate(...)` expression, in milliseconds, or undefined for anything else (`cron(...)`). */
export function rateIntervalMs(expression: string): number | undefined {
  const match = RATE.exec(expression.trim());
  if (!match || Number(match[1]) < 1) return undefined;
  return Number(match[1]) * UNIT_MS[match[2].replace(/s$/, '')];
}

/** Every enabled rate schedule of the stacks that targets a Lambda function of its stack; warns about the rest. */
export function findScheduledFunctions(stacks: StackArtifact[], log: (entry: Record<string, unknown>) => void): ScheduledFunction[] {
  const found: ScheduledFunction[] = [];
  for (const rule of findResources(stacks, 'AWS::Events::Rule')) {
    const expression = rule.properties.ScheduleExpression;
    if (typeof expression !== 'string' || (rule.properties.State ?? 'ENABLED') !== 'ENABLED') continue;
    const everyMs = rateIntervalMs(expression);
    if (everyMs === undefined) {
      log({ level: 'warn', message: `${rule.logicalId}: schedule ${expression} is not run locally; only rate(...) schedules are` });
      continue;
    }
    const targets = Array.isArray(rule.properties.Targets) ? rule.properties.Targets as Array<Record<string, unknown>> : [];
    for (const target of targets) {
      const logicalId = referencedLogicalId(target.Arn);
      if (rule.stack.template.Resources?.[logicalId ?? '']?.Type !== 'AWS::Lambda::Function') continue;
      found.push({
        function: findFunction(rule.stack, logicalId!),
        ruleLogicalId: rule.logicalId,
        everyMs,
        input: typeof target.Input === 'string' ? target.Input : undefined,
      });
    }
  }
  return found;
}

/** The event EventBridge sends a scheduled rule's target. */
export function scheduledEvent(ruleArn: string, region: string, accountId: string, now: Date): Record<string, unknown> {
  return {
    'version': '0',
    'id': randomUUID(),
    'detail-type': 'Scheduled Event',
    'source': 'aws.events',
    'account': accountId,
    'time': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    'resources': [ruleArn],
    'detail': {},
  };
}

export interface ScheduleRunnerOptions {
  readonly schedules: ReadonlyArray<{ readonly functionName: string; readonly ruleName: string; readonly everyMs: number; readonly input?: string }>;
  readonly region: string;
  readonly accountId: string;
  readonly invoke: (functionName: string, event: unknown) => Promise<unknown>;
  readonly log: (entry: Record<string, unknown>) => void;
  /** @default the real clock and timers */
  readonly now?: () => Date;
}

/**
 * Invokes each scheduled function every `everyMs`, the first time one interval after start, as EventBridge does.
 * A run still going when the next is due is not doubled: that tick is skipped.
 */
export class ScheduleRunner {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly options: ScheduleRunnerOptions) {}

  start(): void {
    for (const schedule of this.options.schedules) {
      const timer = setInterval(() => {
        if (!this.running.has(schedule.functionName)) void this.runOne(schedule);
      }, schedule.everyMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** Invokes every scheduled function once, now, and waits for them (tests and `--json` tools call it for a run on demand). */
  async runAll(): Promise<void> {
    await Promise.all(this.options.schedules.map((schedule) => this.running.get(schedule.functionName) ?? this.runOne(schedule)));
  }

  /** Stops the timers and waits for runs in flight. */
  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await Promise.all(this.running.values());
  }

  private runOne(schedule: ScheduleRunnerOptions['schedules'][number]): Promise<void> {
    const { region, accountId } = this.options;
    const ruleArn = `arn:aws:events:${region}:${accountId}:rule/${schedule.ruleName}`;
    const event = schedule.input !== undefined ? JSON.parse(schedule.input)
      : scheduledEvent(ruleArn, region, accountId, (this.options.now ?? (() => new Date()))());
    const run = this.options.invoke(schedule.functionName, event).then(
      () => this.options.log({ event: 'schedule', function: schedule.functionName, outcome: 'ok' }),
      (error: unknown) => this.options.log({
        event: 'schedule', function: schedule.functionName, outcome: 'error', errorName: error instanceof Error ? error.name : 'unknown',
      }),
    ).finally(() => this.running.delete(schedule.functionName));
    this.running.set(schedule.functionName, run);
    return run;
  }
}
